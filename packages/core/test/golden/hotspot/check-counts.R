# Independent check of the square-grid counting (projection + cell assignment) with R sf / PROJ.
# Reads the real rows again and recounts Southampton into 250 m BNG cells, coordinates rounded to
# the centimetre as gridSquare does (many police.uk points lie exactly on whole metres of BNG, so on
# cell edges; proj4js and PROJ differ by < 1 mm). Must equal square-southampton-250m.counts.csv.
# Run from the repo root:
#   Rscript packages/core/test/golden/hotspot/check-counts.R
suppressPackageStartupMessages(library(sf))
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
zip <- normalizePath(file.path(here, "../../../../../../shared/data/police/hampshire-2025.zip"))
files <- grep("street.csv$", unzip(zip, list = TRUE)$Name, value = TRUE)
d <- do.call(rbind, lapply(files, function(f) read.csv(unz(zip, f))[, c("Longitude", "Latitude", "LSOA.name")]))
s <- d[startsWith(d$LSOA.name, "Southampton "), ]
bng <- paste("+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy",
             "+towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs")
xy <- round(st_coordinates(st_transform(st_as_sf(s, coords = c("Longitude", "Latitude"), crs = 4326), bng)), 2)
id <- paste0(floor(xy[, 1] / 250) * 250, "_", floor(xy[, 2] / 250) * 250)
g <- read.csv(file.path(here, "square-southampton-250m.counts.csv"), colClasses = c("character", "numeric", "numeric", "numeric"))
r <- table(factor(id, levels = g$id))
stopifnot(sum(r) == nrow(s), sum(g$count) == nrow(s))
differ <- g$id[as.numeric(r) != g$count]
near_edge <- abs(xy - round(xy / 250) * 250) < 0.01
edge <- which(near_edge[, 1] | near_edge[, 2])
# the cell PROJ chose for each near-edge point and its 8 neighbours: where proj4js may have put it
ex <- floor(xy[edge, 1] / 250) * 250; ey <- floor(xy[edge, 2] / 250) * 250
around <- unique(unlist(lapply(c(-250, 0, 250), function(dx) lapply(c(-250, 0, 250), function(dy) paste0(ex + dx, "_", ey + dy)))))
cat(nrow(s), "points,", length(edge), "within 1 cm of a cell edge;", length(differ), "cells differ:", differ, "\n")
stopifnot(length(differ) == 0)
