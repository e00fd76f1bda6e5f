# Golden permutation p-values for Gi* (conditional: the cell's own count fixed) from R spdep, for the
# committed Southampton 250 m cell counts. Needs r-base-core and r-cran-spdep (Debian). From the repo root:
#   Rscript packages/core/test/golden/hotspot/gi-star-perm.R
#
# Debian's spdep is 1.2-7, whose localG_perm predates `fix_i_in_Gstar_permutations` (1.2-8): given a
# self-included list it draws the cell's own value too. But with the own count fixed, the simulated Gi*
# sum is x_i + (a draw of the w - 1 neighbours from x[-i]) and the observed one x_i + (the neighbours):
# the constant x_i and the constant denominators do not change any rank. So the conditional Gi*
# permutation p equals spdep's localG_perm on the neighbour list WITHOUT self (local G: neighbours
# drawn from x[-i]), rank for rank. That is what this script runs, with nsim = 9999 so that R's own
# Monte-Carlo error is a tenth of ours (999). spdep 1.2-7 draws with replacement within a row (ours
# without; 8 draws from 1,451 values differ by < 2% of rows, well inside the Monte-Carlo error).
# Writes square-southampton-250m.gistar-perm.golden.csv: id, pSim ("Pr(z != E(Gi)) Sim", the
# two-sided rank p, ties at average rank), pFolded ("Pr(folded) Sim"); 6 dp, sorted by id.
suppressPackageStartupMessages(library(spdep))
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
nsim <- 9999

sq <- read.csv(file.path(here, "square-southampton-250m.counts.csv"), colClasses = c("character", "numeric", "numeric", "numeric"))
# queen neighbours (a distance band of one cell diagonal on the corners, as gi-star.R checks), self NOT included
nb <- dnearneigh(cbind(sq$easting, sq$northing), 0, 250 * sqrt(2) * 1.01)
set.seed(20250101)
g <- localG_perm(sq$count, nb2listw(nb, style = "B"), nsim = nsim, iseed = 20250101)
int <- attr(g, "internals")
out <- data.frame(id = sq$id, pSim = sprintf("%.6f", int[, "Pr(z != E(Gi)) Sim"]), pFolded = sprintf("%.6f", int[, "Pr(folded) Sim"]))
out <- out[order(out$id, method = "radix"), ]
write.csv(out, file.path(here, "square-southampton-250m.gistar-perm.golden.csv"), row.names = FALSE, quote = FALSE)
cat("square-southampton-250m.gistar-perm.golden.csv", nrow(out), "cells, nsim", nsim, "; p < 0.05:", sum(int[, "Pr(z != E(Gi)) Sim"] < 0.05), "\n")
