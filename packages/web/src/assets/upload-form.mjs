// Data page: refuse files over the upload limit before sending them (the server refuses them
// too, with the same message, when JavaScript is off). GOV.UK error message pattern.
const form = document.querySelector("[data-testid=upload-form]");
const input = form?.querySelector("input[type=file][data-limit-bytes]");

function formatLimit(bytes) {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

function showError(message) {
  const group = input.closest(".govuk-form-group");
  group.classList.add("govuk-form-group--error");
  input.classList.add("govuk-file-upload--error");
  let error = group.querySelector(".govuk-error-message");
  if (!error) {
    error = document.createElement("p");
    error.id = "files-error";
    error.className = "govuk-error-message";
    error.setAttribute("data-testid", "upload-error");
    input.before(error);
    input.setAttribute("aria-describedby", "files-hint files-error");
  }
  error.textContent = "";
  const hidden = document.createElement("span");
  hidden.className = "govuk-visually-hidden";
  hidden.textContent = "Error:";
  error.append(hidden, ` ${message}`);
  input.focus();
}

if (form && input) {
  form.addEventListener("submit", (event) => {
    const limit = Number(input.getAttribute("data-limit-bytes"));
    const total = [...(input.files ?? [])].reduce((sum, f) => sum + f.size, 0);
    if (limit > 0 && total > limit) {
      event.preventDefault();
      showError(
        `The upload is larger than the ${formatLimit(limit)} limit. Upload fewer files at a time, or ask the administrator to raise SAFECITY_UPLOAD_LIMIT_MB.`,
      );
    }
  });
}
