// Start GOV.UK Frontend's components (accordions, tabs, error summaries) on every page.
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();

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
