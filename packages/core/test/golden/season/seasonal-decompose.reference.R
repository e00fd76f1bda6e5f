# Reference for core seasonalProfile(method = "ratio-to-moving-average"): R's classical
# multiplicative decomposition of monthly counts adjusted to an average-length month.
# Run: Rscript seasonal-decompose.reference.R > seasonal-decompose.golden.json
# The counts are made here (seeded) and written into the golden with the results.
set.seed(20261202)
months <- seq(as.Date("2021-01-01"), as.Date("2025-12-01"), by = "month")
days <- as.integer(format(seq(as.Date("2021-02-01"), by = "month", length.out = length(months)) - 1, "%d"))
season <- c(0.85, 0.9, 0.95, 1.0, 1.05, 1.1, 1.2, 1.15, 1.0, 1.05, 0.9, 0.85)
trend <- 400 + 3 * seq_along(months)
mu <- trend * season[as.integer(format(months, "%m"))] * days / (365.25 / 12)
counts <- rnbinom(length(months), mu = mu, size = 40)
adjusted <- counts * (365.25 / 12) / days
d <- decompose(ts(adjusted, start = c(2021, 1), frequency = 12), type = "multiplicative")
num <- function(x) ifelse(is.na(x), "null", sprintf("%.15g", x))
cat("{\n")
cat(sprintf('  "months": [%s],\n', paste0('"', format(months, "%Y-%m"), '"', collapse = ", ")))
cat(sprintf('  "counts": [%s],\n', paste(counts, collapse = ", ")))
cat(sprintf('  "days": [%s],\n', paste(days, collapse = ", ")))
cat(sprintf('  "index": [%s],\n', paste(num(d$figure * 100), collapse = ", ")))
cat(sprintf('  "trend": [%s]\n', paste(num(as.numeric(d$trend)), collapse = ", ")))
cat("}\n")
