# Reference for core empiricalBayesRates: R spdep::EBest (global empirical Bayes, Marshall 1991).
# Run: Rscript empirical-bayes.reference.R > empirical-bayes.golden.json
# Two seeded cases, their counts and populations written into the golden with the results:
# "spread": 60 LSOA-sized areas whose true rates differ (gamma), some small populations;
# "guard": 40 areas with one true rate, where the moment estimate of the prior variance is
# negative and EBest sets it to 0. "city": a city-centre LSOA with few residents among others.
suppressPackageStartupMessages(library(spdep))
num <- function(x) sprintf("%.17g", x)
vec <- function(x) paste0("[", paste(num(x), collapse = ", "), "]")
case <- function(name, n, x, last = FALSE) {
  eb <- EBest(n, x)
  p <- attr(eb, "parameters")
  m <- length(n); xsum <- sum(x)
  s2 <- sum(x * (((n / x) - p$b)^2) / xsum)
  cat(sprintf('  "%s": {\n', name))
  cat(sprintf('    "counts": [%s],\n', paste(n, collapse = ", ")))
  cat(sprintf('    "populations": [%s],\n', paste(x, collapse = ", ")))
  cat(sprintf('    "raw": %s,\n', vec(eb$raw)))
  cat(sprintf('    "estmm": %s,\n', vec(eb$estmm)))
  cat(sprintf('    "a": %s, "b": %s, "aUnguarded": %s\n', num(p$a), num(p$b), num(s2 - p$b / (xsum / m))))
  cat(if (last) "  }\n" else "  },\n")
}
set.seed(20261202)
x1 <- c(round(runif(55, 1000, 3000)), c(310, 450, 600, 720, 880))
t1 <- rgamma(60, shape = 4, rate = 4 / 0.08)
n1 <- rpois(60, t1 * x1)
x2 <- round(runif(40, 1200, 2600))
repeat { # the first seeded draw whose moment estimate is negative (about half are)
  n2 <- rpois(40, 0.05 * x2)
  if (attr(EBest(n2, x2), "parameters")$a == 0) break
}
x3 <- c(350, round(runif(29, 1300, 2200)))
n3 <- c(740, rpois(29, 0.09 * x3[-1]))
cat("{\n")
cat(sprintf('  "spdep": "%s",\n', as.character(packageVersion("spdep"))))
case("spread", n1, x1)
case("guard", n2, x2)
case("city", n3, x3, last = TRUE)
cat("}\n")
