import { AppError } from "@safecity/core";
import type { ImportJob, ImportJobs } from "../services/import-job.service.ts";
import type { AppContext } from "./env.ts";
import { saveMultipart } from "./multipart-upload.ts";

/** The form field for "import the valid rows of a file with malformed rows". */
export const SKIP_INVALID_FIELD = "skipInvalid";

/** The form field (`yes`) for "replace a month even with a file of under half its rows" (decision 0017). */
export const REPLACE_FIELD = "replace";

/** The server's upload jobs, or the refusal when uploads are not enabled. */
export function uploadJobs(c: AppContext): ImportJobs {
  const jobs = c.var.deps.imports;
  if (!jobs) throw new AppError("upload.unavailable", "Uploads are not enabled on this server.", { hint: "Import with `npx safecity import <zip>` instead." });
  return jobs;
}

/**
 * Streams the uploaded files of this request to `<uploadDir>/<job id>/` and queues their import.
 * Shared by the Data page form and `POST /api/v1/imports`.
 */
export async function startUploadImport(c: AppContext): Promise<ImportJob> {
  const jobs = uploadJobs(c);
  const { id, dir } = jobs.reserve();
  try {
    const { files, fields } = await saveMultipart(c.req.raw, { dir, limitBytes: jobs.limitBytes, extensions: [".csv", ".zip"] });
    return await jobs.submit(id, dir, {
      user: c.var.user!.email,
      uploads: files,
      skipInvalid: fields[SKIP_INVALID_FIELD] === "yes",
      replace: fields[REPLACE_FIELD] === "yes",
    });
  } catch (e) {
    jobs.discard(dir);
    throw e;
  }
}
