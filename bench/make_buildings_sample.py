"""Extract the evaluation sample of public buildings (address + the city's own coordinates).

Usage: python -m bench.make_buildings_sample CAMBRIDGEGIS_DATA_DIR VDQLIEUPUBLIC_JS

- CAMBRIDGEGIS_DATA_DIR: a checkout of github.com/cambridgegis/cambridgegis_data (PDDL 1.0);
  the point layers of municipal buildings, libraries, schools, fire and police stations, post
  offices, youth centres and elderly housing are read.
- VDQLIEUPUBLIC_JS: vdqlieupublic.js of github.com/isabelalara04/applicationsInteractives, a
  copy of Ville de Québec's "Lieux publics" dataset (Données Québec, CC BY 4.0); the buildings
  (schools, libraries, community centres, fire stations, arenas...) with a street number.

Writes bench/data/buildings_cambridge.csv and bench/data/buildings_quebec.csv.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

CAMBRIDGE_LAYERS = [
    "Landmark/Municipal_Buildings/LANDMARK_MunicipalBuildings.geojson",
    "Landmark/Public_Libraries/LANDMARK_PublicLibraries.geojson",
    "Landmark/Public_Schools/LANDMARK_PublicSchools.geojson",
    "Landmark/Private_Schools/LANDMARK_PrivateSchools.geojson",
    "Landmark/Post_Offices/LANDMARK_PostOffices.geojson",
    "Landmark/Youth_Centers/LANDMARK_YouthCenters.geojson",
    "Landmark/Elderly_Facilities/LANDMARK_ElderlyFacilities.geojson",
    "Public_Safety/Fire_Stations/PUBLICSAFETY_FireStations.geojson",
    "Public_Safety/Police_Stations/PUBLICSAFETY_PoliceStation.geojson",
]
QUEBEC_KINDS = {
    "Écoles primaires",
    "Écoles secondaires",
    "Écoles primaires / secondaires",
    "Écoles spécialisées",
    "Écoles CFP",
    "Cégeps",
    "Universités",
    "Bibliothèques",
    "Centres communautaires",
    "Centres de loisirs",
    "Centres d'hébergement",
    "Centres d'art",
    "Centres culturels",
    "Centres récréatifs",
    "Centres sportifs",
    "Casernes de pompiers",
    "Postes de police",
    "Arénas",
    "Piscines municipales",
    "Hôpitaux",
    "Bâtiments municipaux",
    "Bâtiments patrimoniaux",
    "Bureaux d'arrondissement",
    "Bureaux administratifs",
    "Hôtels de ville",
    "Centre des congrès",
    "Gares de trains",
    "Gares d'autobus",
}
FIELDS = ["name", "address", "lat", "lon", "category", "source", "licence"]
HERE = Path(__file__).resolve().parent / "data"


def cambridge(root: Path) -> list[dict[str, str]]:
    rows, seen = [], set()
    for layer in CAMBRIDGE_LAYERS:
        data = json.loads((root / layer).read_text(encoding="utf-8"))
        for feature in data["features"]:
            p = feature["properties"]
            address = (p.get("ADDRESS") or "").strip()
            if not address or not address[0].isdigit() or address in seen:
                continue
            seen.add(address)
            lon, lat = feature["geometry"]["coordinates"][:2]
            rows.append(
                {
                    "name": p.get("SITE_NAME") or p.get("Name") or p.get("PONAME") or "",
                    "address": f"{address}, Cambridge, MA",
                    "lat": f"{lat:.6f}",
                    "lon": f"{lon:.6f}",
                    "category": layer.split("/")[1],
                    "source": f"cambridgegis/cambridgegis_data@44a03d1 {layer}",
                    "licence": "PDDL 1.0",
                }
            )
    return rows


def quebec(js_file: Path) -> list[dict[str, str]]:
    body = js_file.read_text(encoding="utf-8")
    data = json.loads(body[body.index("{") : body.rindex("}") + 1])
    rows, seen = [], set()
    for feature in data["features"]:
        p = feature["properties"]
        if p.get("DESCRIPTION") not in QUEBEC_KINDS or not p.get("NO_CIVIQUE") or not p.get("RUE"):
            continue
        address = f"{p['NO_CIVIQUE']} {p['RUE']}"
        if address in seen:
            continue
        seen.add(address)
        lon, lat = feature["geometry"]["coordinates"][:2]
        rows.append(
            {
                "name": p.get("NOM_TOPOGRAPHIE") or "",
                "address": f"{address}, Québec",
                "lat": f"{lat:.6f}",
                "lon": f"{lon:.6f}",
                "category": p["DESCRIPTION"],
                "source": "Ville de Québec, Lieux publics (vdq-lieupublic), via "
                "isabelalara04/applicationsInteractives@b9624b7 vdqlieupublic.js",
                "licence": "CC BY 4.0, Ville de Québec",
            }
        )
    return rows


def write(name: str, rows: list[dict[str, str]]) -> None:
    with open(HERE / name, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(name, len(rows))


if __name__ == "__main__":
    write("buildings_cambridge.csv", cambridge(Path(sys.argv[1])))
    write("buildings_quebec.csv", quebec(Path(sys.argv[2])))
