// Start GOV.UK Frontend's components (accordions, tabs, error summaries) on every page.
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
