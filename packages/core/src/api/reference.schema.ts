import { z } from "zod";

/** `GET /api/v1/reference`: installed reference datasets (geography, population, deprivation, ONS tables). */
export const ReferenceStatusSchema = z
  .object({
    datasets: z.array(z.object({ name: z.string(), fileName: z.string(), sha256: z.string(), rows: z.number().int(), installedAt: z.string() })),
  })
  .meta({ id: "ReferenceStatus" });
