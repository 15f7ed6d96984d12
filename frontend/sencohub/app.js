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
