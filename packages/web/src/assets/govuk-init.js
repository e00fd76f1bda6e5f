// Loaded at the start of <body> (a file, not an inline script, so the CSP needs no 'unsafe-inline'):
// tells GOV.UK Frontend's CSS that JavaScript is on and its components are supported.
document.body.className += ` js-enabled${"noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : ""}`;
