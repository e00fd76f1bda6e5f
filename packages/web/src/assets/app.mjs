// Enhances pages that already work without JavaScript.
import { initAll } from "/assets/govuk/govuk-frontend.min.js";

initAll();
