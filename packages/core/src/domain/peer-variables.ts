/**
 * Human labels of the open indicators the computed peer (similarity) groups use (issue 12 item 6):
 * the names stay the stable keys in data and the API; pages and documents show these.
 */
export const PEER_VARIABLE_LABELS: Readonly<Record<string, string>> = {
  population_density: "Population density (residents per km², mid-2022)",
  imd2025_average_score: "Deprivation: IMD 2025 average score (higher is more deprived)",
  urban_lsoa_share: "Share of neighbourhoods (LSOAs) classed as urban (2021 rural-urban classification)",
  urban_population_share: "Share of residents living in urban neighbourhoods (2021)",
  lone_parent_household_share: "Share of households that are lone-parent families (Census 2021)",
  no_car_household_share: "Share of households with no car or van (Census 2021)",
  nssec_l1_l3_share: "Share of residents aged 16+ in higher managerial, administrative and professional occupations (NS-SEC 1, Census 2021)",
  no_qualifications_share: "Share of residents aged 16+ with no qualifications (Census 2021)",
  level4_qualifications_share: "Share of residents aged 16+ with degree-level (level 4+) qualifications (Census 2021)",
};

/** The label of a peer-similarity variable, or its name when it has none. */
export function peerVariableLabel(name: string): string {
  return PEER_VARIABLE_LABELS[name] ?? name;
}
