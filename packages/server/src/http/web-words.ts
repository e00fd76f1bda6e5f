/**
 * The services' messages speak the CLI's language (`--from`, `--area csp:Southampton`,
 * `safecity import <zip>`); on a web page they name the form's fields and the pages instead
 * (issue 12 item 6). One table, applied to every analysis error a page shows.
 */
const PHRASES: readonly [RegExp, string][] = [
  [/`?(?:npx )?safecity import <[^>]+>`?/g, "an upload on the Data page"],
  [/`?(?:npx )?safecity reference install[^`),;]*`?/g, "installing reference data (an administrator, from the Data page's instructions)"],
  [/`?(?:npx )?safecity demo`?/g, "the demo (Data page)"],
  [/\(e\.g\. --area ([^)]+)\)/g, "(for example $1 in Area)"],
  [/\bgive --from and --to\b/g, "choose From and To months"],
  [/\bgive the peer group with --peers\b/g, "save the official peer group on this page"],
  [/--skip-invalid\b/g, "“Import the valid rows and list the others”"],
  [/--replace\b/g, "“Replace anyway”"],
  [/--from\b/g, "From"],
  [/--to\b/g, "To"],
  [/--area\b/g, "Area"],
  [/--type\b/g, "Crime type"],
  [/--peers\b/g, "the peer list"],
  [/--grid\b/g, "Grid"],
];

/** A service message in the web's words. */
export function inWebWords(text: string): string {
  return PHRASES.reduce((t, [re, words]) => t.replace(re, words), text);
}

/** The form field a service message is about: the first flag it names (an unknown crime type: the type), else the area. */
export function fieldOfMessage(text: string): "area" | "from" | "to" | "type" {
  const m = /--(from|to|type|area)\b/.exec(text);
  if (m) return m[1] as "area" | "from" | "to" | "type";
  return /^unknown crime type/.test(text) ? "type" : "area";
}
