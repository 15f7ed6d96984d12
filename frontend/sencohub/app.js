// Start GOV.UK Frontend's components (accordions, tabs, error summaries, and the school menu's "Menu" button on a
// narrow screen, the ServiceNavigation component) on every page.
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();

// A data table wider than the screen (a phone, or 400% zoom) scrolls sideways in its own region rather than
// pushing the whole page sideways. The region is labelled and focusable only while it scrolls, so a keyboard
// can scroll it and a table that fits adds no stop to the tab order.
function tableName(table) {
  const caption = table.querySelector("caption");
  if (caption) return caption.textContent.trim();
  const labelledBy = table.getAttribute("aria-labelledby");
  const label = labelledBy && document.getElementById(labelledBy.split(" ")[0]);
  if (label) return label.textContent.trim();
  let before = table.parentElement.previousElementSibling;
  while (before && !/^H[1-6]$/.test(before.tagName)) before = before.previousElementSibling;
  return before ? before.textContent.trim() : "Table";
}
const tableRegions = [];
function wrapTables(root) {
  root.querySelectorAll("table.govuk-table").forEach((table) => {
    if (!table.closest("main") || table.closest(".sh-scroll")) return;
    const region = document.createElement("div");
    region.className = "sh-scroll";
    table.before(region);
    region.append(table);
    let name = `${tableName(table)} (scrolls sideways)`;
    const taken = new Set(tableRegions.map((known) => known.name));
    for (let n = 2; taken.has(name); n += 1) name = `${tableName(table)}, table ${n} (scrolls sideways)`;
    tableRegions.push({ region, name });
  });
  markScrollingTables();
}
function markScrollingTables() {
  tableRegions.forEach(({ region, name }) => {
    if (!region.isConnected) return;
    if (region.scrollWidth > region.clientWidth + 1) {
      region.setAttribute("role", "region");
      region.setAttribute("aria-label", name);
      region.tabIndex = 0;
    } else {
      ["role", "aria-label", "tabindex"].forEach((attribute) => region.removeAttribute(attribute));
    }
  });
}
wrapTables(document);
window.addEventListener("resize", markScrollingTables);
document.body.addEventListener("htmx:afterSettle", (event) => wrapTables(event.target));

// A form is sent once: a double click, or a second press of Enter while the page is on its way, would send it
// again and could make a second record. The server guards the records that matter most; this covers every
// form on every page, including ones added later. A form that downloads a file leaves the page where it is,
// so it can be sent again after a pause.
const RESEND_AFTER_MS = 8000;
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || (form.method || "").toLowerCase() !== "post") return;
  if ([...form.attributes].some((attribute) => attribute.name.startsWith("hx-"))) return;
  const sentAt = Number(form.dataset.sentAt || 0);
  if (sentAt && Date.now() - sentAt < RESEND_AFTER_MS) {
    event.preventDefault();
    return;
  }
  form.dataset.sentAt = String(Date.now());
});
// Coming back to the page with the browser's Back button starts afresh.
window.addEventListener("pageshow", () => {
  document.querySelectorAll("form[data-sent-at]").forEach((form) => delete form.dataset.sentAt);
});

// Warn before an idle session ends (WCAG 2.2.1, includes/session_timeout.html): a few minutes before, a dialog
// takes the focus and offers to stay signed in, which tells the server the person is still here. The server says
// how long is left on each page and on each HTMX answer (the Session-Seconds-Left header).
const timeoutDialog = document.getElementById("session-timeout");
if (timeoutDialog && typeof timeoutDialog.showModal === "function") {
  const warnSeconds = Number(timeoutDialog.dataset.warnSeconds);
  const countdown = timeoutDialog.querySelector("[data-countdown]");
  let endsAt = Date.now() + Number(timeoutDialog.dataset.secondsLeft) * 1000;
  let signedOut = false;

  const inWords = (seconds) => {
    const minutes = Math.ceil(seconds / 60);
    if (seconds > 60) return `${minutes} minutes`;
    return seconds > 1 ? `${seconds} seconds` : "1 second";
  };
  const show = (state) => {
    timeoutDialog.querySelectorAll("[data-when]").forEach((part) => {
      part.hidden = part.dataset.when !== state;
      if (!part.hidden) {
        timeoutDialog.setAttribute("aria-labelledby", part.dataset.title);
        timeoutDialog.setAttribute("aria-describedby", part.dataset.text);
      }
    });
    if (!timeoutDialog.open) timeoutDialog.showModal();
  };
  const signOutShown = () => {
    signedOut = true;
    show("signed-out");
    timeoutDialog.querySelector("[data-sign-in]").focus();
  };
  const extendTo = (secondsLeft) => {
    if (!Number.isFinite(secondsLeft) || signedOut) return;
    endsAt = Date.now() + secondsLeft * 1000;
  };
  const tick = () => {
    if (signedOut) return;
    const left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    if (left <= 0) {
      signOutShown();
    } else if (left <= warnSeconds) {
      const words = inWords(left);
      if (countdown.textContent !== words) countdown.textContent = words;
      if (!timeoutDialog.open) {
        show("warning");
        timeoutDialog.querySelector("[data-keep-alive] button").focus();
      }
    } else if (timeoutDialog.open) {
      timeoutDialog.close();
    }
  };
  const stayAt = timeoutDialog.querySelector("[data-keep-alive]");
  const staySignedIn = async () => {
    try {
      const answer = await fetch(stayAt.action, {
        method: "POST",
        body: new FormData(stayAt),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        redirect: "manual",
      });
      const said = answer.ok ? await answer.json() : {};
      if (!said.signed_in) {
        signOutShown();
        return;
      }
      extendTo(said.seconds_left);
      timeoutDialog.close();
    } catch {
      signOutShown();
    }
  };
  stayAt.addEventListener("submit", (event) => {
    event.preventDefault();
    staySignedIn();
  });
  // Escape closes the warning as "Stay signed in" does: the person is here to press it.
  timeoutDialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    if (!signedOut) staySignedIn();
  });
  document.body.addEventListener("htmx:afterRequest", (event) => {
    const left = event.detail.xhr && event.detail.xhr.getResponseHeader("Session-Seconds-Left");
    if (left !== null && left !== undefined) extendTo(Number(left));
  });
  setInterval(tick, 1000);
}

// A long job's progress (kernel.background.progress_poll): each poll swaps only the bar. Its words go into the
// page's one status element, which stays where it is, so a screen reader hears each change once; the page's
// title says the state too ("Checking the file – 40%").
document.body.addEventListener("htmx:afterSettle", (event) => {
  const progress = event.target;
  if (!(progress instanceof HTMLElement) || !progress.dataset.progressFor) return;
  const status = document.getElementById(progress.dataset.progressFor);
  const words = progress.querySelector("template[data-status]");
  if (status && words && status.innerHTML.trim() !== words.innerHTML.trim()) {
    status.replaceChildren(words.content.cloneNode(true));
  }
  if (progress.dataset.pageTitle && document.title !== progress.dataset.pageTitle) {
    document.title = progress.dataset.pageTitle;
  }
});
