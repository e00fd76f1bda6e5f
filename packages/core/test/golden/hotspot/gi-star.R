# Golden Gi* values from R spdep for the committed Southampton cell counts.
# Needs r-base-core and r-cran-spdep (Debian). Run from the repo root:
#   Rscript packages/core/test/golden/hotspot/gi-star.R
# Writes <input>.gistar.golden.csv: id, z (spdep::localG, include.self, style "B"), p (two-sided
# normal), pAdjusted (p.adjust "BH"), class (hot/cold at 99/95/90% on pAdjusted); 6 dp, sorted by id.
suppressPackageStartupMessages(library(spdep))
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))

classify <- function(z, p) {
  side <- ifelse(z > 0, "hot", "cold")
  out <- ifelse(p < 0.01, paste0(side, "-99"), ifelse(p < 0.05, paste0(side, "-95"), ifelse(p < 0.1, paste0(side, "-90"), "none")))
  out[is.na(z) | is.na(p) | z == 0] <- "none"
  out
}

write_golden <- function(d, z, name) {
  p <- 2 * pnorm(-abs(z))
  padj <- p.adjust(p, method = "BH")
  out <- data.frame(id = d$id, z = sprintf("%.6f", z), p = sprintf("%.6f", p), pAdjusted = sprintf("%.6f", padj),
                    class = classify(z, padj))
  out <- out[order(out$id, method = "radix"), ]
  write.csv(out, file.path(here, name), row.names = FALSE, quote = FALSE)
  cat(name, nrow(out), "cells;", table(out$class), "\n")
}

# Square cells: queen contiguity on the full rectangular grid (spdep::cell2nb), self included.
sq <- read.csv(file.path(here, "square-southampton-250m.counts.csv"), colClasses = c("character", "numeric", "numeric", "numeric"))
xs <- sort(unique(sq$easting)); ys <- sort(unique(sq$northing))
stopifnot(nrow(sq) == length(xs) * length(ys))
# cell2nb numbers cells row by row: index = (row - 1) * ncol + col
ord <- (match(sq$northing, ys) - 1) * length(xs) + match(sq$easting, xs)
nb_grid <- cell2nb(length(ys), length(xs), type = "queen")
x_grid <- numeric(nrow(sq)); x_grid[ord] <- sq$count
z_grid <- as.numeric(localG(x_grid, nb2listw(include.self(nb_grid), style = "B")))
# cross-check the neighbour construction: a distance band of one cell diagonal on the cell corners
nb_band <- dnearneigh(cbind(sq$easting, sq$northing), 0, 250 * sqrt(2) * 1.01)
z_band <- as.numeric(localG(sq$count, nb2listw(include.self(nb_band), style = "B")))
stopifnot(max(abs(z_band - z_grid[ord])) < 1e-10)
write_golden(sq, z_grid[ord], "square-southampton-250m.gistar.golden.csv")

# H3 cells: neighbours = cells whose centres (BNG) lie within 1.35 x the median nearest-neighbour
# distance (adjacent hexagon centres are at d, the next ring at sqrt(3) d), self included.
hx <- read.csv(file.path(here, "h3-southampton-r9.counts.csv"), colClasses = c("character", "numeric", "numeric", "numeric"))
xy <- cbind(hx$easting, hx$northing)
d1 <- median(unlist(nbdists(knn2nb(knearneigh(xy, k = 1)), xy)))
nb_hex <- dnearneigh(xy, 0, 1.35 * d1)
stopifnot(max(card(nb_hex)) <= 6)
z_hex <- as.numeric(localG(hx$count, nb2listw(include.self(nb_hex), style = "B")))
write_golden(hx, z_hex, "h3-southampton-r9.gistar.golden.csv")
