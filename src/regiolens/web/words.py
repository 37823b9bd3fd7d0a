"""The words of the web pages in German (default) and English, and the number and date formats.

Labels of result fields come from :data:`regiolens.analysis.results.LABELS` and the report vocabulary
(:mod:`regiolens.reports.text`, :mod:`regiolens.reports.html`), so that a column is called the same on the
page, in the PDF and in the workbook; :data:`WORDS` holds only what the pages say beyond those. Numbers
and dates are formatted with Babel in the page's locale (``de_DE``: ``1.234,5``; ``en_GB``: ``1,234.5``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from babel.dates import format_date, format_datetime

from regiolens.reports import text
from regiolens.reports.html import WORDS as REPORT_WORDS
from regiolens.reports.text import EXTRA_LABELS, PHRASES, Lang

LANGS: tuple[Lang, ...] = ("de", "en")
DEFAULT_LANG: Lang = "de"

WORDS: dict[str, dict[str, str]] = {
    # frame
    "app_tagline": {
        "de": "Clusteranalysen für die Wirtschaftsförderung",
        "en": "Cluster analytics for economic development",
    },
    "skip": {"de": "Zum Inhalt springen", "en": "Skip to content"},
    "nav": {"de": "Hauptnavigation", "en": "Main navigation"},
    "home": {"de": "Start", "en": "Home"},
    "regions": {"de": "Regionen", "en": "Regions"},
    "compare": {"de": "Vergleich", "en": "Compare"},
    "map": {"de": "Karte", "en": "Map"},
    "data": {"de": "Daten", "en": "Data"},
    "clusters": {"de": "Cluster", "en": "Clusters"},
    "api_docs": {"de": "API", "en": "API"},
    "language": {"de": "Sprache", "en": "Language"},
    "logged_in_as": {"de": "Angemeldet als", "en": "Logged in as"},
    "logout": {"de": "Abmelden", "en": "Log out"},
    "vintage_footer": {"de": "Datenstand", "en": "Data vintage"},
    "no_vintage": {"de": "noch keine Daten importiert", "en": "no data imported yet"},
    "loading": {"de": "Wird berechnet …", "en": "Computing …"},
    "show": {"de": "Anzeigen", "en": "Show"},
    "error": {"de": "Fehler", "en": "Error"},
    "back_home": {"de": "Zur Startseite", "en": "Back to the start page"},
    "not_found": {"de": "Nicht gefunden", "en": "Not found"},
    "forbidden": {"de": "Keine Berechtigung", "en": "Not allowed"},
    "busy": {"de": "Die Datenbasis wird gerade aktualisiert", "en": "The data are being updated"},
    "try_again": {"de": "Bitte versuchen Sie es gleich noch einmal.", "en": "Please try again in a moment."},
    # login
    "login": {"de": "Anmelden", "en": "Log in"},
    "login_title": {"de": "Anmeldung", "en": "Log in"},
    "email": {"de": "E-Mail-Adresse", "en": "E-mail address"},
    "password": {"de": "Passwort", "en": "Password"},
    "login_failed": {"de": "E-Mail-Adresse oder Passwort ist falsch.", "en": "Wrong e-mail address or password."},
    "rate_limited": {
        "de": "Zu viele Fehlversuche. Bitte warten Sie {minutes} Minute(n) und versuchen Sie es dann erneut.",
        "en": "Too many failed attempts. Please wait {minutes} minute(s), then try again.",
    },
    "logged_out": {"de": "Sie sind abgemeldet.", "en": "You are logged out."},
    # home
    "home_title": {"de": "Wo steht Ihre Region?", "en": "Where does your region stand?"},
    "home_lead": {
        "de": "Wählen Sie eine Region (Kreis-Schlüssel wie 05562 oder eine Gruppe wie emscher-lippe) und sehen Sie "
        "ihre Branchenstruktur, Standortquotienten, Shift-Share und Cluster – mit Quelle und Datenstand.",
        "en": "Choose a region (a Kreis key such as 05562 or a group such as emscher-lippe) and see its industry "
        "structure, location quotients, shift-share and clusters – with source and data vintage.",
    },
    "region": {"de": "Region", "en": "Region"},
    "region_hint": {"de": "Schlüssel oder Gruppe, z. B. emscher-lippe", "en": "Key or group, e.g. emscher-lippe"},
    "open_profile": {"de": "Profil öffnen", "en": "Open profile"},
    "journeys": {"de": "Häufige Fragen", "en": "Common questions"},
    "journey_profile": {
        "de": "Wie steht Emscher-Lippe in den hannoverimpuls-Clustern da?",
        "en": "How does Emscher-Lippe stand in the hannoverimpuls clusters?",
    },
    "journey_compare": {
        "de": "Was unterscheidet Emscher-Lippe von der Region Hannover?",
        "en": "How does Emscher-Lippe differ from Region Hannover?",
    },
    "journey_peers": {
        "de": "Welche Regionen sind Emscher-Lippe ähnlich?",
        "en": "Which regions resemble Emscher-Lippe?",
    },
    "journey_opportunities": {
        "de": "In welche Branchen könnte Emscher-Lippe hineinwachsen?",
        "en": "Which industries could Emscher-Lippe grow into?",
    },
    "groups": {"de": "Regionsgruppen", "en": "Region groups"},
    "members": {"de": "Mitglieder", "en": "Members"},
    "search_regions": {"de": "Regionen suchen", "en": "Search regions"},
    "search": {"de": "Suchen", "en": "Search"},
    "search_term": {"de": "Name oder Schlüssel", "en": "Name or key"},
    "no_matches": {"de": "Keine passende Region.", "en": "No matching region."},
    "level": {"de": "Ebene", "en": "Level"},
    "code": {"de": "Schlüssel", "en": "Key"},
    "name": {"de": "Name", "en": "Name"},
    # controls
    "settings": {"de": "Einstellungen", "en": "Settings"},
    "year": {"de": "Jahr", "en": "Year"},
    "base_year": {"de": "Basisjahr", "en": "Base year"},
    "latest": {"de": "neuestes", "en": "latest"},
    "earliest": {"de": "frühestes", "en": "earliest"},
    "reference": {"de": "Referenzgebiet", "en": "Reference area"},
    "reference_hint": {"de": "leer = Deutschland; z. B. 05 für NRW", "en": "empty = Germany; e.g. 05 for NRW"},
    "threshold": {"de": "Schwelle für Stärke", "en": "Strength threshold"},
    # profile
    "profile_title": {"de": "Wie steht {region} da?", "en": "How does {region} stand?"},
    "profile_lead": {
        "de": "{measure} {year} (Basisjahr {base_year}) gegenüber {reference}. Schwelle: {threshold}.",
        "en": "{measure} {year} (base year {base_year}) against {reference}. Threshold: {threshold}.",
    },
    "q_size": {
        "de": "Wie groß ist die Region, und wie hat sie sich entwickelt?",
        "en": "How large is the region, and how has it developed?",
    },
    "q_portfolio": {
        "de": "In welchen Branchen ist die Region spezialisiert – und wachsen diese?",
        "en": "Which industries is the region specialised in – and are they growing?",
    },
    "q_structure": {
        "de": "Welche Branchen sind über- oder unterdurchschnittlich vertreten?",
        "en": "Which industries are over- or under-represented?",
    },
    "q_shift": {
        "de": "Liegt die Entwicklung an der Branchenstruktur oder am Standort?",
        "en": "Is the development due to the industry mix or to the location?",
    },
    "q_clusters": {"de": "Wie steht die Region in den Clustern da?", "en": "How does the region do in the clusters?"},
    "q_specialisation": {
        "de": "Wie spezialisiert ist die Region insgesamt?",
        "en": "How specialised is the region overall?",
    },
    "q_next": {"de": "Wie weiter?", "en": "What next?"},
    "cluster_taxonomy": {"de": "Cluster-Taxonomie", "en": "Cluster taxonomy"},
    "how_to_read": {"de": "So lesen Sie diese Grafik", "en": "How to read this chart"},
    "how_to_read_table": {"de": "So lesen Sie diese Tabelle", "en": "How to read this table"},
    "read_bubble": {
        "de": "Jeder Kreis ist eine Branche. Nach rechts: stärkeres Wachstum im Zeitraum; nach oben: höherer "
        "Standortquotient (LQ, logarithmische Skala). Die durchgezogene Linie markiert LQ = 1 (Anteil wie im "
        "Referenzgebiet), die gestrichelte die Schwelle für Stärke. Die Fläche zeigt die Zahl der Beschäftigten; "
        "rote Kreise sind starke Branchen, blasse Kreise beruhen auf kleinen Fallzahlen.",
        "en": "Each circle is an industry. To the right: stronger growth over the period; upwards: higher location "
        "quotient (LQ, log scale). The solid line marks LQ = 1 (same share as in the reference area), the dashed "
        "line the strength threshold. The area shows the number of employees; red circles are strong industries, "
        "pale circles rest on small numbers.",
    },
    "read_structure": {
        "de": "LQ = (Beschäftigte der Branche in der Region / Beschäftigte der Region) ÷ (dasselbe im "
        "Referenzgebiet). Über 1: die Branche ist in der Region stärker vertreten als im Referenzgebiet. Das "
        "95-%-Intervall zeigt, wie sicher der Wert ist; enthält es die 1, ist kein Unterschied nachweisbar.",
        "en": "LQ = (employees of the industry in the region / employees of the region) ÷ (the same in the "
        "reference area). Above 1: the industry is more present in the region than in the reference area. The "
        "95 % interval shows how certain the value is; if it contains 1, no difference can be shown.",
    },
    "read_shift": {
        "de": "Die Veränderung der Beschäftigten jeder Branche wird zerlegt: Konjunkturkomponente (wäre die Branche "
        "wie die Gesamtwirtschaft des Referenzgebiets gewachsen), Strukturkomponente (Mehr- oder Minderwachstum "
        "der Branche im Referenzgebiet) und Standortkomponente (was die Region besser oder schlechter machte als "
        "die Branche im Referenzgebiet). Balken nach rechts: Zuwachs, nach links: Verlust.",
        "en": "The change in employees of each industry is split up: national share (had the industry grown like "
        "the whole economy of the reference area), industry mix (the industry's faster or slower growth in the "
        "reference area) and regional effect (what the region did better or worse than the industry in the "
        "reference area). Bars to the right: gain; to the left: loss.",
    },
    "read_clusters": {
        "de": "Ein Cluster ist eine Gruppe von Wirtschaftszweigen. Liegen die Daten gröber vor als die "
        "Clusterdefinition, wird der Cluster als Näherung gezeigt oder als nicht auflösbar – mit Begründung.",
        "en": "A cluster is a group of industries. Where the data are coarser than the cluster definition, the "
        "cluster is shown as an approximation or as not resolvable – with the reason.",
    },
    "read_compare": {
        "de": "Für jede Branche ein Balken je Region, ausgehend von LQ = 1: nach rechts überdurchschnittlich, nach "
        "links unterdurchschnittlich vertreten (logarithmische Skala). Die gestrichelte Linie ist die Schwelle "
        "für Stärke.",
        "en": "For each industry one bar per region, starting at LQ = 1: to the right over-represented, to the left "
        "under-represented (log scale). The dashed line is the strength threshold.",
    },
    "under_chart": {"de": "Referenzgebiet und Schwellen", "en": "Reference area and thresholds"},
    "reference_area": {"de": "Referenzgebiet", "en": "Reference area"},
    "period": {"de": "Zeitraum", "en": "Period"},
    "downloads": {"de": "Herunterladen", "en": "Download"},
    "csv_data": {"de": "Daten (CSV)", "en": "Data (CSV)"},
    "svg_image": {"de": "Grafik (SVG)", "en": "Chart (SVG)"},
    "png_image": {"de": "Grafik (PNG)", "en": "Chart (PNG)"},
    "report_pdf": {"de": "Bericht (PDF)", "en": "Report (PDF)"},
    "report_xlsx": {"de": "Tabellen (Excel)", "en": "Tables (Excel)"},
    "reports": {"de": "Berichte", "en": "Reports"},
    "peers_link": {"de": "Ähnliche Regionen", "en": "Similar regions"},
    "opportunities_link": {"de": "Entwicklungschancen", "en": "Opportunities"},
    "compare_with": {"de": "Vergleichen mit …", "en": "Compare with …"},
    "strong_industries": {"de": "Starke Branchen", "en": "Strong industries"},
    "none": {"de": "keine", "en": "none"},
    # compare
    "compare_title": {"de": "Was unterscheidet die Regionen?", "en": "How do the regions differ?"},
    "compare_lead": {
        "de": "Gemeinsame Stärken, Unterschiede und wie viel davon die Branchenstruktur erklärt.",
        "en": "Shared strengths, differences and how much of them the industry mix explains.",
    },
    "compare_need_two": {"de": "Bitte mindestens zwei Regionen angeben.", "en": "Please name at least two regions."},
    "region_n": {"de": "Region {n}", "en": "Region {n}"},
    "q_compare_lq": {"de": "Wo liegen die Stärken der Regionen?", "en": "Where do the regions' strengths lie?"},
    "q_differences": {"de": "Worin unterscheiden sie sich?", "en": "Where do they differ?"},
    "q_gaps": {"de": "Warum wuchsen sie unterschiedlich?", "en": "Why did they grow differently?"},
    # peers
    "peers_title": {"de": "Welche Regionen sind {region} ähnlich?", "en": "Which regions resemble {region}?"},
    "peers_lead": {
        "de": "Die nächsten Regionen nach standardisierten, gewichteten Merkmalen – mit dem Anteil jedes Merkmals an "
        "der Distanz und einer Begründung.",
        "en": "The nearest regions by standardised, weighted indicators – with each indicator's part of the distance "
        "and a reason.",
    },
    "n_peers": {"de": "Anzahl", "en": "Number"},
    "within": {"de": "Suchraum", "en": "Candidates"},
    "within_de": {"de": "Deutsche Kreise", "en": "German Kreise"},
    "within_eu": {"de": "EU NUTS-3-Regionen", "en": "EU NUTS-3 regions"},
    "indicators": {"de": "Merkmale", "en": "Indicators"},
    "weights": {"de": "Gewichte", "en": "Weights"},
    "weights_hint": {"de": "z. B. structure=2,size=1", "en": "e.g. structure=2,size=1"},
    "indicator_structure": {"de": "Branchenstruktur", "en": "Industry structure"},
    "indicator_size": {"de": "Größe", "en": "Size"},
    "indicator_growth": {"de": "Wachstum", "en": "Growth"},
    "indicator_population": {"de": "Einwohner", "en": "Population"},
    "indicator_density": {"de": "Dichte", "en": "Density"},
    "rank": {"de": "Rang", "en": "Rank"},
    "distance": {"de": "Distanz", "en": "Distance"},
    "reason": {"de": "Begründung", "en": "Reason"},
    "read_peers": {
        "de": "Die Distanz ist die gewichtete euklidische Distanz der standardisierten Merkmale; kleiner heißt "
        "ähnlicher. Die Spalten je Merkmal zeigen dessen Anteil an der quadrierten Distanz (zusammen 100 %).",
        "en": "The distance is the weighted Euclidean distance of the standardised indicators; smaller means more "
        "similar. The columns per indicator show its part of the squared distance (100 % together).",
    },
    # opportunities
    "opportunities_title": {
        "de": "In welche Branchen könnte {region} hineinwachsen?",
        "en": "Which industries could {region} grow into?",
    },
    "opportunities_lead": {
        "de": "Branchen mit LQ < 1, gereiht nach Verwandtschaftsdichte, Komplexität und nationalem Wachstum; "
        "danach die vorhandenen Stärken, die gefährdeten zuerst.",
        "en": "Industries with LQ < 1, ranked by relatedness density, complexity and national growth; then the "
        "existing strengths, those at risk first.",
    },
    "q_opportunities": {"de": "Welche Chancen liegen nahe?", "en": "Which opportunities are close?"},
    "q_strengths": {"de": "Welche Stärken sind gefährdet?", "en": "Which strengths are at risk?"},
    "q_cluster_outlook": {"de": "Wie nah sind die Cluster?", "en": "How close are the clusters?"},
    "weights_opp_hint": {"de": "z. B. density=2,complexity=1,growth=1", "en": "e.g. density=2,complexity=1,growth=1"},
    "density": {"de": "Verwandtschaftsdichte", "en": "Relatedness density"},
    "density_percentile": {"de": "Perzentil der Dichte", "en": "Density percentile"},
    "pci": {"de": "Komplexität (PCI)", "en": "Complexity (PCI)"},
    "national_growth": {"de": "Wachstum national", "en": "National growth"},
    "score": {"de": "Punktwert", "en": "Score"},
    "lq_base": {"de": "LQ Basisjahr", "en": "LQ base year"},
    "at_risk": {"de": "Gefährdet", "en": "At risk"},
    "eci": {"de": "Wirtschaftliche Komplexität (ECI)", "en": "Economic complexity (ECI)"},
    "read_opportunity_chart": {
        "de": "Jeder Punkt ist eine Branche, die in der Region unterdurchschnittlich vertreten ist (LQ < 1). Nach "
        "rechts: mehr verwandte Branchen hat die Region schon (Verwandtschaftsdichte); nach oben: komplexere "
        "Branche (PCI). Grün: Punktwert über 0, also besser als der mittlere Kandidat nach Dichte, Komplexität "
        "und Wachstum. Die Zahlen sind die Ränge der Tabelle.",
        "en": "Each point is an industry under-represented in the region (LQ < 1). To the right: the region already "
        "has more related industries (relatedness density); upwards: a more complex industry (PCI). Green: score "
        "above 0, i.e. better than the middle candidate by density, complexity and growth. The numbers are the "
        "ranks of the table.",
    },
    "thresholds": {"de": "Schwellen", "en": "Thresholds"},
    "opportunity_threshold": {
        "de": "Chance: LQ < 1; Präsenz: LQ ≥ 1; Punktwert über 0: besser als der mittlere Kandidat",
        "en": "Opportunity: LQ < 1; presence: LQ ≥ 1; score above 0: better than the middle candidate",
    },
    "read_opportunities": {
        "de": "Die Verwandtschaftsdichte misst, wie viele verwandte Branchen die Region schon hat (0–1). Der "
        "Punktwert ist der gewichtete Mittelwert der standardisierten Merkmale über alle Kandidaten.",
        "en": "Relatedness density measures how many related industries the region already has (0–1). The score "
        "is the weighted mean of the standardised indicators over all candidates.",
    },
    # data
    "data_title": {"de": "Woher kommen die Zahlen?", "en": "Where do the numbers come from?"},
    "data_lead": {
        "de": "Alle importierten Quellen mit Herausgeber, Lizenz, Namensnennung und Datenstand.",
        "en": "Every imported source with publisher, licence, attribution and data vintage.",
    },
    "file": {"de": "Datei", "en": "File"},
    "observations": {"de": "Beobachtungen", "en": "Observations"},
    "imported_at": {"de": "Importiert", "en": "Imported"},
    "coverage": {"de": "Abdeckung", "en": "Coverage"},
    "years": {"de": "Jahre", "en": "Years"},
    "no_sources": {"de": "Noch keine Daten importiert.", "en": "No data imported yet."},
    "upload_title": {"de": "Datei importieren", "en": "Import a file"},
    "upload_lead": {
        "de": "Das Format wird am Inhalt erkannt. Der Import ist atomar: bei einem Fehler bleibt der Datenbestand "
        "unverändert, und der Fehler nennt Datei, Zeile und Feld.",
        "en": "The format is detected from the content. The import is atomic: on an error the data stay unchanged, "
        "and the error names file, line and field.",
    },
    "files": {"de": "Dateien", "en": "Files"},
    "format": {"de": "Format", "en": "Format"},
    "detect": {"de": "automatisch erkennen", "en": "detect automatically"},
    "upload": {"de": "Importieren", "en": "Import"},
    "upload_editors_only": {
        "de": "Importieren dürfen Bearbeiter*innen einer Organisation.",
        "en": "Editors of an organisation may import files.",
    },
    "upload_failed": {"de": "Import abgelehnt – nichts wurde geändert", "en": "Import refused – nothing was changed"},
    "upload_done": {"de": "Import abgeschlossen", "en": "Import finished"},
    "import_added": {"de": "neu importiert", "en": "added"},
    "import_replaced": {"de": "ersetzt (neue Fassung)", "en": "replaced (new version)"},
    "import_unchanged": {"de": "unverändert (schon importiert)", "en": "unchanged (already imported)"},
    "upload_outdated_concepts": {
        "de": "Die neuen Daten ändern die Evidenz dieser Konzepte; ihre Seiten zeigen, was sich geändert hat:",
        "en": "The new data change the evidence of these concepts; their pages show what changed:",
    },
    "line": {"de": "Zeile", "en": "Line"},
    "field": {"de": "Feld", "en": "Field"},
    "message": {"de": "Meldung", "en": "Message"},
    "status": {"de": "Status", "en": "Status"},
    "no_file": {"de": "Bitte eine Datei auswählen.", "en": "Please choose a file."},
    "untranslated_message": {"de": "Meldung der Leseroutine, englisch", "en": "message of the reader"},
    "reader_bkg-registry": {
        "de": "BKG-Kreisverzeichnis als CSV (ags, ars, name, bez, nuts3, …)",
        "en": "BKG Kreis registry CSV (ags, ars, name, bez, nuts3, …)",
    },
    "reader_bkg-geojson": {
        "de": "BKG-Verwaltungsgebiete VG5000/VG250 als GeoJSON (ARS, GEN, BEZ; WGS84)",
        "en": "BKG VG5000/VG250 GeoJSON layer (ARS, GEN, BEZ; WGS84)",
    },
    "reader_bkg-shapefile": {
        "de": "BKG-Verwaltungsgebiete VG5000/VG250 als Shapefile (Gauß-Krüger)",
        "en": "BKG VG5000/VG250 shapefile layer (Gauss-Krüger)",
    },
    "reader_cbp": {
        "de": "County Business Patterns, Auszug (Fips, Naics, Establishments, Employees, Payroll)",
        "en": "County Business Patterns extract (Fips, Naics, Establishments, Employees, Payroll)",
    },
    "reader_generic": {
        "de": "lange CSV-/XLSX-Tabelle mit Spaltenzuordnung (im CLI: --source generic)",
        "en": "long CSV/XLSX table with a column mapping (in the CLI: --source generic)",
    },
    "reader_genesis": {
        "de": "GENESIS-/Regionalstatistik-Export als flaches CSV",
        "en": "GENESIS/Regionalstatistik flat CSV export",
    },
    "reader_gisco-nuts": {
        "de": "Eurostat-GISCO-NUTS-Grenzen als GeoJSON (NUTS_ID, LEVL_CODE; WGS84)",
        "en": "Eurostat GISCO NUTS boundaries GeoJSON (NUTS_ID, LEVL_CODE; WGS84)",
    },
    "reader_jsonstat": {"de": "Eurostat-Datensatz im Format JSON-stat 2.0", "en": "Eurostat JSON-stat 2.0 dataset"},
    "reader_microdata": {
        "de": "Betriebs-Mikrodaten, aggregiert (im CLI: --source microdata; Datei oder partitioniertes Verzeichnis)",
        "en": "establishment microdata aggregated (in the CLI: --source microdata; a file or a partitioned directory)",
    },
    "reader_landkreise-deutschland": {
        "de": "Bevölkerung und Fläche je Kreis (landkreise-deutschland, districts.csv)",
        "en": "Population and area per Kreis (landkreise-deutschland districts.csv)",
    },
    "reader_us-atlas": {
        "de": "us-atlas als TopoJSON (Counties, Bundesstaaten, Nation; WGS84)",
        "en": "us-atlas TopoJSON (counties, states, nation; WGS84)",
    },
    # clusters
    "clusters_title": {
        "de": "Welche Cluster gibt es, und wie sind sie definiert?",
        "en": "Which clusters are there, and how are they defined?",
    },
    "builtin_taxonomies": {"de": "Mitgelieferte Taxonomien", "en": "Built-in taxonomies"},
    "org_taxonomies": {
        "de": "Taxonomien Ihrer Organisationen und Netzwerke",
        "en": "Taxonomies of your organisations and networks",
    },
    "no_org_taxonomies": {"de": "Noch keine eigenen Taxonomien.", "en": "No taxonomies of your own yet."},
    "new_taxonomy": {"de": "Neue Taxonomie anlegen", "en": "Create a taxonomy"},
    "organisation": {"de": "Organisation", "en": "Organisation"},
    "visibility": {"de": "Sichtbarkeit", "en": "Visibility"},
    "visibility_private": {"de": "nur meine Organisation", "en": "my organisation only"},
    "visibility_network": {"de": "auch meine Netzwerke", "en": "my networks too"},
    "slug": {"de": "Kurzname", "en": "Short name"},
    "slug_hint": {"de": "Kleinbuchstaben, Ziffern, Bindestrich", "en": "lower-case letters, digits, hyphen"},
    "classification": {"de": "Klassifikation", "en": "Classification"},
    "definition": {"de": "Cluster (eine Zeile je Cluster)", "en": "Clusters (one line per cluster)"},
    "definition_hint": {
        "de": "Kennung | Name deutsch | Name englisch | Codes, durch Komma getrennt — z. B. "
        "automotive | Automobilwirtschaft | Automotive | 29.10, 29.20",
        "en": "id | German name | English name | codes separated by commas — e.g. "
        "automotive | Automobilwirtschaft | Automotive | 29.10, 29.20",
    },
    "create": {"de": "Anlegen", "en": "Create"},
    "created_taxonomy": {"de": "Taxonomie angelegt.", "en": "Taxonomy created."},
    "codes": {"de": "Codes", "en": "Codes"},
    "cluster_count": {"de": "Cluster", "en": "Clusters"},
    "source": {"de": "Quelle", "en": "Source"},
    "licence": {"de": "Lizenz", "en": "Licence"},
    "note": {"de": "Anmerkung", "en": "Note"},
    "weight": {"de": "Gewicht", "en": "Weight"},
    "partial": {"de": "teilweise", "en": "partial"},
    "created_by": {"de": "Angelegt", "en": "Created"},
    "editors_create": {
        "de": "Eigene Taxonomien legen Bearbeiter*innen an.",
        "en": "Editors create taxonomies of their own.",
    },
    # map
    "map_title": {"de": "Wo ist die Branche stark?", "en": "Where is the industry strong?"},
    "industry": {"de": "Branche", "en": "Industry"},
    "no_geometry": {
        "de": "Für eine Karte fehlen Kreisgrenzen im Datenbestand (BKG VG5000 importieren).",
        "en": "A map needs Kreis boundaries in the warehouse (import BKG VG5000).",
    },
    "read_map": {
        "de": "Farben: Standortquotient der Branche in jedem Kreis, divergierend um 1 (blau unter-, rot "
        "überdurchschnittlich vertreten); grau: kein Wert (fehlend oder geheim).",
        "en": "Colours: location quotient of the industry in each Kreis, diverging around 1 (blue under-, red "
        "over-represented); grey: no value (missing or suppressed).",
    },
    "lq_classes": {"de": "LQ-Klassen", "en": "LQ classes"},
    "map_cluster_title": {"de": "Wo ist der Cluster stark?", "en": "Where is the cluster strong?"},
    "map_by_industry": {"de": "Karte einer Branche", "en": "Map of an industry"},
    "map_by_cluster": {"de": "Karte eines Clusters", "en": "Map of a cluster"},
    "map_cluster_label": {"de": "Cluster", "en": "Cluster"},
    "map_not_resolvable": {"de": "auf diesen Daten nicht darstellbar", "en": "cannot be shown on these data"},
    "read_cluster_map": {
        "de": "Farben: Standortquotient des Clusters (Summe seiner Wirtschaftszweige) in jedem Kreis, divergierend "
        "um 1 (blau unter-, rot überdurchschnittlich vertreten); grau: kein Wert (fehlend oder geheim).",
        "en": "Colours: location quotient of the cluster (the sum of its industries) in each Kreis, diverging "
        "around 1 (blue under-, red over-represented); grey: no value (missing or suppressed).",
    },
    "map_industry_or_cluster": {
        "de": "Eine Karte zeigt eine Branche oder einen Cluster, nicht beides: bitte entweder „industry“ oder "
        "„taxonomy“ und „cluster“ angeben.",
        "en": "A map shows an industry or a cluster, not both: give either industry or taxonomy and cluster.",
    },
    "map_name_a_cluster": {
        "de": "Bitte einen Cluster der Taxonomie angeben (cluster=…).",
        "en": "Name a cluster of the taxonomy (cluster=…).",
    },
    "map_cluster_not_resolvable": {
        "de": "Der Cluster „{cluster}“ lässt sich auf diesen Daten nicht als Karte zeigen – {reason}. Wählen Sie "
        "eine Branche oder einen anderen Cluster, oder importieren Sie feinere Daten (z. B. WZ-Klassen).",
        "en": "The cluster “{cluster}” cannot be mapped on these data — {reason}. Choose an industry or another "
        "cluster, or import finer data (e.g. WZ classes).",
    },
    "lq_one": {"de": "Anteil wie im Referenzgebiet", "en": "same share as in the reference area"},
    # accounts and organisations
    "account": {"de": "Konto", "en": "Account"},
    "orgs": {"de": "Organisation", "en": "Organisation"},
    "account_title": {"de": "Ihr Konto", "en": "Your account"},
    "my_memberships": {"de": "Ihre Organisationen und Rollen", "en": "Your organisations and roles"},
    "my_memberships_caption": {
        "de": "Organisationen, denen Sie angehören, mit Ihrer Rolle",
        "en": "Organisations you belong to, with your role",
    },
    "no_memberships": {
        "de": "Sie gehören noch keiner Organisation an. Bitten Sie eine Administratorin oder einen Administrator "
        "Ihrer Organisation, Sie aufzunehmen.",
        "en": "You belong to no organisation yet. Ask an administrator of your organisation to add you.",
    },
    "role": {"de": "Rolle", "en": "Role"},
    "role_may": {"de": "darf", "en": "may"},
    "role_viewer": {"de": "Lesen", "en": "Viewer"},
    "role_analyst": {"de": "Analyse", "en": "Analyst"},
    "role_editor": {"de": "Bearbeitung", "en": "Editor"},
    "role_admin": {"de": "Administration", "en": "Admin"},
    "role_viewer_may": {
        "de": "Seiten, Analysen und freigegebene Einträge ansehen",
        "en": "view pages, analyses and shared records",
    },
    "role_analyst_may": {
        "de": "wie Lesen, dazu Analysen rechnen und herunterladen",
        "en": "as viewer, and run and download analyses",
    },
    "role_editor_may": {
        "de": "wie Analyse, dazu Daten importieren und Einträge anlegen, ändern und löschen",
        "en": "as analyst, and import data and create, change and delete records",
    },
    "role_admin_may": {
        "de": "wie Bearbeitung, dazu Mitglieder und Rollen verwalten und das Änderungsprotokoll lesen",
        "en": "as editor, and manage members and roles and read the audit log",
    },
    "roles_explained": {
        "de": "Rollen je Organisation: Lesen < Analyse < Bearbeitung < Administration; jede Rolle umfasst die "
        "Rechte der vorigen.",
        "en": "Roles per organisation: viewer < analyst < editor < admin; each role includes the rights of the "
        "ones before it.",
    },
    "change_password": {"de": "Passwort ändern", "en": "Change password"},
    "current_password": {"de": "Aktuelles Passwort", "en": "Current password"},
    "new_password": {"de": "Neues Passwort", "en": "New password"},
    "new_password_again": {"de": "Neues Passwort wiederholen", "en": "New password again"},
    "password_hint": {"de": "mindestens {n} Zeichen", "en": "at least {n} characters"},
    "password_changed": {"de": "Ihr Passwort ist geändert.", "en": "Your password has been changed."},
    "password_mismatch": {
        "de": "Die beiden neuen Passwörter stimmen nicht überein; nichts wurde geändert.",
        "en": "The two new passwords differ; nothing was changed.",
    },
    "wrong_current_password": {
        "de": "Das aktuelle Passwort ist falsch; nichts wurde geändert.",
        "en": "The current password is wrong; nothing was changed.",
    },
    "password_too_short": {
        "de": "Das Passwort muss mindestens {n} Zeichen haben; nichts wurde geändert.",
        "en": "The password must have at least {n} characters; nothing was changed.",
    },
    "api_tokens": {"de": "API-Schlüssel", "en": "API tokens"},
    "api_tokens_lead": {
        "de": "Mit einem API-Schlüssel rufen Programme die JSON-API unter /api/v1/ mit Ihren Rechten auf "
        "(Kopfzeile Authorization: Bearer <Schlüssel>).",
        "en": "With an API token, programs call the JSON API under /api/v1/ with your rights "
        "(header Authorization: Bearer <token>).",
    },
    "tokens_caption": {"de": "Ihre API-Schlüssel", "en": "Your API tokens"},
    "token": {"de": "Schlüssel", "en": "Token"},
    "token_name": {"de": "Bezeichnung", "en": "Name"},
    "token_name_hint": {"de": "wofür, z. B. Notebook", "en": "what for, e.g. notebook"},
    "token_name_needed": {
        "de": "Bitte geben Sie dem Schlüssel eine Bezeichnung (1 bis 200 Zeichen).",
        "en": "Please give the token a name (1 to 200 characters).",
    },
    "create_token": {"de": "Schlüssel erzeugen", "en": "Create token"},
    "token_created": {
        "de": "Neuer API-Schlüssel „{name}“. Kopieren Sie ihn jetzt: er wird nur dieses eine Mal angezeigt.",
        "en": "New API token “{name}”. Copy it now: it is shown this once only.",
    },
    "created_at": {"de": "Erzeugt", "en": "Created"},
    "last_used": {"de": "Zuletzt benutzt", "en": "Last used"},
    "never_used": {"de": "noch nie", "en": "never"},
    "revoke": {"de": "Widerrufen", "en": "Revoke"},
    "revoke_named": {"de": "Schlüssel „{name}“ widerrufen", "en": "Revoke token “{name}”"},
    "token_revoked": {
        "de": "Der Schlüssel ist widerrufen und öffnet die API nicht mehr.",
        "en": "The token is revoked and no longer opens the API.",
    },
    "no_tokens": {"de": "Noch keine API-Schlüssel.", "en": "No API tokens yet."},
    "actions": {"de": "Aktionen", "en": "Actions"},
    "language_choice": {"de": "Sprache der Seiten", "en": "Language of the pages"},
    "language_hint": {"de": "wird in diesem Browser gespeichert", "en": "kept in this browser"},
    "save": {"de": "Speichern", "en": "Save"},
    "orgs_title": {"de": "Organisationen verwalten", "en": "Manage organisations"},
    "orgs_lead": {
        "de": "Organisationen, in denen Sie die Rolle Administration haben.",
        "en": "Organisations in which you have the role admin.",
    },
    "org_admins_only": {
        "de": "Diese Seite ist der Administration der Organisation vorbehalten.",
        "en": "This page is for the organisation's admins only.",
    },
    "members_caption": {"de": "Mitglieder von {org} mit ihrer Rolle", "en": "Members of {org} with their role"},
    "you": {"de": "Sie", "en": "you"},
    "inactive": {"de": "deaktiviert", "en": "deactivated"},
    "role_of": {"de": "Rolle von {name}", "en": "Role of {name}"},
    "change_role": {"de": "Rolle ändern", "en": "Change role"},
    "remove_member": {"de": "Entfernen", "en": "Remove"},
    "remove_member_named": {"de": "{name} aus der Organisation entfernen", "en": "Remove {name} from the organisation"},
    "member_add_existing": {"de": "Vorhandenes Konto aufnehmen", "en": "Add an existing user"},
    "add_member": {"de": "Aufnehmen", "en": "Add"},
    "member_create": {"de": "Neues Konto anlegen", "en": "Create a new user"},
    "initial_password": {"de": "Erstes Passwort", "en": "Initial password"},
    "initial_password_hint": {
        "de": "mindestens {n} Zeichen; die Person ändert es unter „Konto“",
        "en": "at least {n} characters; the person changes it under “Account”",
    },
    "create_user": {"de": "Konto anlegen", "en": "Create user"},
    "member_added": {"de": "Mitglied aufgenommen.", "en": "Member added."},
    "user_created": {"de": "Konto angelegt und aufgenommen.", "en": "User created and added."},
    "role_changed": {"de": "Rolle geändert.", "en": "Role changed."},
    "member_removed": {"de": "Mitglied entfernt.", "en": "Member removed."},
    "last_admin": {
        "de": "Abgelehnt: Das ist die letzte Administratorin bzw. der letzte Administrator der Organisation. Geben "
        "Sie zuerst einem anderen Mitglied die Rolle Administration.",
        "en": "Refused: this is the organisation's last admin. First give another member the role admin.",
    },
    "already_member": {
        "de": "Diese Person ist bereits Mitglied; ändern Sie ihre Rolle in der Liste.",
        "en": "This person is a member already; change their role in the list.",
    },
    "networks": {"de": "Netzwerke", "en": "Networks"},
    "networks_caption": {"de": "Netzwerke, denen {org} angehört", "en": "Networks {org} belongs to"},
    "member_organisations": {"de": "Mitgliedsorganisationen", "en": "Member organisations"},
    "no_networks": {"de": "Die Organisation gehört keinem Netzwerk an.", "en": "The organisation is in no network."},
    "networks_cli": {
        "de": "Netzwerke legt der Betrieb an (regiolens networks create, regiolens orgs create --network).",
        "en": "Networks are set up by the operators (regiolens networks create, regiolens orgs create --network).",
    },
    "audit_log": {"de": "Änderungsprotokoll", "en": "Audit log"},
    "audit_caption": {
        "de": "{total} Einträge, neueste zuerst – Seite {page} von {pages}",
        "en": "{total} entries, newest first – page {page} of {pages}",
    },
    "audit_when": {"de": "Zeitpunkt", "en": "When"},
    "audit_who": {"de": "Wer", "en": "Who"},
    "audit_action": {"de": "Aktion", "en": "Action"},
    "audit_what": {"de": "Was", "en": "What"},
    "audit_detail": {"de": "Einzelheiten", "en": "Details"},
    "audit_cli": {"de": "Kommandozeile", "en": "command line"},
    "audit_pages": {"de": "Seiten des Protokolls", "en": "Pages of the log"},
    "all": {"de": "alle", "en": "all"},
    "newer": {"de": "← Neuere", "en": "← Newer"},
    "older": {"de": "Ältere →", "en": "Older →"},
    "no_audit": {"de": "Keine Einträge.", "en": "No entries."},
    # accounts and organisations: editing an organisation's taxonomy
    "edit_taxonomy": {"de": "Taxonomie bearbeiten", "en": "Edit taxonomy"},
    "edit_name_and_clusters": {"de": "Name, Sichtbarkeit und Cluster", "en": "Name, visibility and clusters"},
    "definition_edit_hint": {
        "de": "Ändern Sie Namen und Codes in der Zeile; eine gelöschte Zeile entfernt den Cluster.",
        "en": "Change names and codes in the line; a deleted line removes the cluster.",
    },
    "save_changes": {"de": "Änderungen speichern", "en": "Save changes"},
    "taxonomy_updated": {"de": "Taxonomie geändert.", "en": "Taxonomy changed."},
    "updated_at": {"de": "Geändert", "en": "Changed"},
    "clusters_of": {"de": "Cluster der Taxonomie {name}", "en": "Clusters of the taxonomy {name}"},
    "cluster_id": {"de": "Kennung", "en": "Id"},
    "delete_cluster": {"de": "Löschen", "en": "Delete"},
    "delete_cluster_named": {"de": "Cluster {cluster} löschen", "en": "Delete cluster {cluster}"},
    "cluster_deleted": {"de": "Cluster {cluster} gelöscht.", "en": "Cluster {cluster} deleted."},
    "last_cluster": {
        "de": "Eine Taxonomie braucht mindestens einen Cluster; löschen Sie stattdessen die ganze Taxonomie.",
        "en": "A taxonomy needs at least one cluster; delete the whole taxonomy instead.",
    },
    "delete_taxonomy": {"de": "Taxonomie löschen", "en": "Delete taxonomy"},
    "delete_taxonomy_hint": {
        "de": "Das Löschen kann nicht rückgängig gemacht werden; es wird im Änderungsprotokoll vermerkt.",
        "en": "Deleting cannot be undone; it is recorded in the audit log.",
    },
    "confirm_delete": {"de": "Ja, „{name}“ endgültig löschen", "en": "Yes, delete “{name}” for good"},
    "confirm_delete_needed": {
        "de": "Bitte bestätigen Sie das Löschen mit dem Häkchen; nichts wurde gelöscht.",
        "en": "Please confirm the deletion with the tick box; nothing was deleted.",
    },
    "taxonomy_deleted": {"de": "Taxonomie gelöscht.", "en": "Taxonomy deleted."},
    "back_to_taxonomy": {"de": "Zurück zur Taxonomie", "en": "Back to the taxonomy"},
    "editors_edit": {
        "de": "Taxonomien ändern Bearbeiter*innen der Organisation, der sie gehören.",
        "en": "Editors of the owning organisation change taxonomies.",
    },
    # knowledge base (network)
    "network": {"de": "Wissensbasis", "en": "Knowledge base"},
    "network_title": {
        "de": "Wissensbasis: Initiativen, Austausch, Erfahrungen",
        "en": "Knowledge base: initiatives, exchanges, lessons",
    },
    "network_lead": {
        "de": "Initiativen anderer Standorte, Besuche und Gespräche mit ihren Ergebnissen "
        "und Erfahrungen — und wie gut ein Ansatz zur eigenen Region passt. "
        "Sie sehen nur, was Ihre Organisation und Ihre Netzwerke freigeben.",
        "en": "Initiatives of other places, visits and meetings with their findings "
        "and lessons — and how well an approach suits your region. "
        "You see only what your organisation and your networks share.",
    },
    "network_search": {"de": "Volltextsuche", "en": "Full-text search"},
    "network_results": {"de": "Treffer", "en": "Results"},
    "network_kind_initiative": {"de": "Initiative", "en": "Initiative"},
    "network_kind_exchange": {"de": "Austausch", "en": "Exchange"},
    "network_kind_lesson": {"de": "Erfahrung", "en": "Lesson"},
    "network_new_initiative": {"de": "Initiative anlegen", "en": "Create an initiative"},
    "network_new_exchange": {"de": "Austausch (Besuch) erfassen", "en": "Record an exchange (visit)"},
    "network_assess": {"de": "Übertragbarkeit bewerten", "en": "Assess transferability"},
    "network_assessments": {"de": "Bewertungen für eine Zielregion", "en": "Assessments for a target region"},
    "network_initiatives": {"de": "Initiativen", "en": "Initiatives"},
    "network_initiative": {"de": "Initiative", "en": "Initiative"},
    "network_exchanges": {"de": "Austausch", "en": "Exchanges"},
    "network_lessons": {"de": "Erfahrungen", "en": "Lessons"},
    "network_example": {"de": "Beispielinhalt", "en": "example content"},
    "network_example_note": {
        "de": "Beispielinhalt — entfernbar, nur was die Projektbeschreibung sagt.",
        "en": "Example content — removable, only what the project description says.",
    },
    "network_attachments": {"de": "Anhänge", "en": "Attachments"},
    "network_upload_refused": {"de": "Hochladen abgelehnt", "en": "Upload refused"},
    "network_attach_file": {"de": "Datei anhängen", "en": "Attach a file"},
    "network_attach_hint": {
        "de": "PDF, Bilder, Office-Dokumente, Text; höchstens 20 MB",
        "en": "PDF, images, office documents, text; at most 20 MB",
    },
    "network_summary": {"de": "Kurzbeschreibung", "en": "Summary"},
    "network_website": {"de": "Website", "en": "Website"},
    "network_tags": {"de": "Schlagwörter", "en": "Tags"},
    "network_comma_hint": {"de": "durch Kommas getrennt", "en": "separated by commas"},
    "network_created": {"de": "Angelegt.", "en": "Created."},
    "network_facts": {"de": "Datierte Angaben", "en": "Dated facts"},
    "network_fact_kind": {"de": "Angabe", "en": "Fact"},
    "network_fact_value": {"de": "Wert", "en": "Value"},
    "network_valid_from": {"de": "gültig ab", "en": "valid from"},
    "network_valid_to": {"de": "gültig bis", "en": "valid to"},
    "network_fact_status": {"de": "Status", "en": "Status"},
    "network_fact_owner": {"de": "Gesellschafter/Träger", "en": "Owner/sponsor"},
    "network_fact_operator": {"de": "Betreiber", "en": "Operator"},
    "network_fact_partner": {"de": "Partner", "en": "Partner"},
    "network_fact_focus_cluster": {"de": "Fokuscluster", "en": "Focus cluster"},
    "network_fact_instrument": {"de": "Instrument", "en": "Instrument"},
    "network_fact_goal": {"de": "Ziel", "en": "Goal"},
    "network_fact_budget": {"de": "Budget", "en": "Budget"},
    "network_fact_contact": {"de": "Kontakt", "en": "Contact"},
    "network_fact_source": {"de": "Quelle", "en": "Source"},
    "network_unknown": {"de": "unbekannt", "en": "unknown"},
    "network_exchange_title": {"de": "Titel", "en": "Title"},
    "network_exchange_kind": {"de": "Art", "en": "Kind"},
    "network_exchange_visit": {"de": "Besuch", "en": "Visit"},
    "network_exchange_meeting": {"de": "Treffen", "en": "Meeting"},
    "network_exchange_call": {"de": "Telefonat/Videokonferenz", "en": "Call"},
    "network_exchange_workshop": {"de": "Workshop", "en": "Workshop"},
    "network_exchange_other": {"de": "Sonstiges", "en": "Other"},
    "network_date": {"de": "Datum", "en": "Date"},
    "network_place": {"de": "Ort", "en": "Place"},
    "network_initiatives_discussed": {"de": "Besprochene Initiativen", "en": "Initiatives discussed"},
    "network_topics": {"de": "Themen", "en": "Topics"},
    "network_findings": {"de": "Ergebnisse", "en": "Findings"},
    "network_follow_up": {"de": "Nächster Schritt", "en": "Follow-up"},
    "network_follow_ups": {"de": "Nächste Schritte", "en": "Follow-ups"},
    "network_task": {"de": "Aufgabe", "en": "Task"},
    "network_owner": {"de": "Wer", "en": "Owner"},
    "network_due": {"de": "Bis", "en": "Due"},
    "network_party_host": {"de": "Gastgeber", "en": "Host"},
    "network_party_visitor": {"de": "Besucher", "en": "Visitor"},
    "network_party_participant": {"de": "Teilnehmer", "en": "Participant"},
    "network_people": {"de": "Personen", "en": "People"},
    "network_undecided": {"de": "noch offen", "en": "not yet decided"},
    "network_done": {"de": "erledigt", "en": "done"},
    "network_open": {"de": "offen", "en": "open"},
    "network_outcome": {"de": "Ergebnis", "en": "Outcome"},
    "network_outcome_worked": {"de": "hat funktioniert", "en": "worked"},
    "network_outcome_failed": {"de": "ist gescheitert", "en": "failed"},
    "network_outcome_mixed": {"de": "gemischt", "en": "mixed"},
    "network_outcome_open": {"de": "offen", "en": "open"},
    "network_what_worked": {"de": "Was funktioniert hat", "en": "What worked"},
    "network_what_failed": {"de": "Was nicht funktioniert hat", "en": "What failed"},
    "network_preconditions": {"de": "Voraussetzungen", "en": "Preconditions"},
    "network_assess_lead": {
        "de": "Wie gut passt eine Initiative aus ihrer Herkunftsregion zur Zielregion? "
        "Der Score verbindet strukturelle Ähnlichkeit, "
        "Stärke der Fokuscluster, Überschneidung der Portfolios und Ihre Checkliste — jeweils mit Begründung.",
        "en": "How well would an initiative from its origin region suit the target region? "
        "The score combines structural similarity, "
        "strength of the focus clusters, overlap of the portfolios and your checklist — each with its reason.",
    },
    "network_target": {"de": "Zielregion", "en": "Target region"},
    "network_origin": {"de": "Herkunft", "en": "Origin"},
    "network_checklist": {"de": "Voraussetzungen (Checkliste)", "en": "Preconditions (checklist)"},
    "network_precondition": {"de": "Voraussetzung", "en": "Precondition"},
    "network_answer": {"de": "Antwort", "en": "Answer"},
    "network_answer_unknown": {"de": "unbekannt", "en": "unknown"},
    "network_answer_yes": {"de": "ja", "en": "yes"},
    "network_answer_partly": {"de": "teilweise", "en": "partly"},
    "network_answer_no": {"de": "nein", "en": "no"},
    "network_component_weights": {"de": "Gewichte der Komponenten", "en": "Weights of the components"},
    "network_component_structure": {"de": "Struktur", "en": "Structure"},
    "network_component_clusters": {"de": "Fokuscluster", "en": "Focus clusters"},
    "network_component_portfolio": {"de": "Portfolio", "en": "Portfolio"},
    "network_component_preconditions": {"de": "Voraussetzungen", "en": "Preconditions"},
    "network_run_assessment": {"de": "Bewerten", "en": "Assess"},
    "network_assessment": {"de": "Übertragbarkeit", "en": "Transferability"},
    "network_as_of": {"de": "Stand der Angaben", "en": "facts as of"},
    "network_total": {"de": "Gesamtscore", "en": "Total score"},
    "network_no_score": {"de": "kein Score", "en": "no score"},
    "network_version": {"de": "Version", "en": "Version"},
    "network_not_saved": {
        "de": "Nicht gespeichert: Bewertungen speichern Bearbeiter*innen.",
        "en": "Not saved: editors save assessments.",
    },
    "network_components": {"de": "Komponenten und Begründungen", "en": "Components and reasons"},
    "network_component": {"de": "Komponente", "en": "Component"},
    "network_side_by_side": {"de": "Beide Regionen nebeneinander", "en": "Both regions side by side"},
    "network_side_hint": {
        "de": "Branchen, die in mindestens einer der beiden Regionen stark sind (★).",
        "en": "Industries strong in at least one of the two regions (★).",
    },
    "network_share": {"de": "Anteil", "en": "Share"},
    "network_growth": {"de": "Wachstum", "en": "Growth"},
    "network_notes_from_exchanges": {
        "de": "Aus dem Austausch und den Erfahrungen",
        "en": "From the exchanges and lessons",
    },
    "network_versions": {"de": "Versionen", "en": "Versions"},
    "network_editors_only": {
        "de": "Einträge der Wissensbasis legen Bearbeiter*innen an.",
        "en": "Editors create knowledge-base records.",
    },
    "choose_initiative": {"de": "Bitte eine Initiative wählen.", "en": "Please choose an initiative."},
    "network_new_lesson": {"de": "Erfahrung festhalten", "en": "Record a lesson"},
    "network_new_actor": {"de": "Akteur anlegen", "en": "Add an actor"},
    "network_actor_lead": {
        "de": "Akteure sind Organisationen und Personen, auf die sich Initiativen und Austausch beziehen: "
        "Wirtschaftsförderungen, Kommunen, Netzwerke, Investoren, Hochschulen.",
        "en": "Actors are the organisations and people initiatives and exchanges refer to: development agencies, "
        "municipalities, networks, investors, universities.",
    },
    "network_actors": {"de": "Akteure", "en": "Actors"},
    "network_actor": {"de": "Akteur", "en": "Actor"},
    "network_actor_kind": {"de": "Art", "en": "Kind"},
    "network_actor_kind_agency": {"de": "Wirtschaftsförderung", "en": "Development agency"},
    "network_actor_kind_municipality": {"de": "Kommune", "en": "Municipality"},
    "network_actor_kind_district": {"de": "Kreis / Region", "en": "District / region"},
    "network_actor_kind_network": {"de": "Netzwerk", "en": "Network"},
    "network_actor_kind_company": {"de": "Unternehmen", "en": "Company"},
    "network_actor_kind_university": {"de": "Hochschule", "en": "University"},
    "network_actor_kind_research": {"de": "Forschungseinrichtung", "en": "Research institute"},
    "network_actor_kind_investor": {"de": "Investor", "en": "Investor"},
    "network_actor_kind_chamber": {"de": "Kammer", "en": "Chamber"},
    "network_actor_kind_other": {"de": "Sonstige", "en": "Other"},
    "network_members": {"de": "Mitglieder", "en": "Members"},
    "network_notes": {"de": "Notizen", "en": "Notes"},
    "network_parties": {"de": "Beteiligte", "en": "Parties"},
    "network_hosts": {"de": "Gastgeber", "en": "Hosts"},
    "network_visitors": {"de": "Besucher", "en": "Visitors"},
    "network_participants": {"de": "Weitere Teilnehmende", "en": "Other participants"},
    "network_multi_hint": {"de": "mehrere mit Strg/Cmd", "en": "several with Ctrl/Cmd"},
    "network_not_visible": {"de": "(für Sie nicht sichtbar)", "en": "(not visible to you)"},
    "network_focus": {"de": "Cluster (bei Fokuscluster)", "en": "Cluster (of a focus cluster)"},
    "network_facts_hint": {
        "de": "Jede Angabe gilt von – bis. Eine Angabe beenden: „gültig bis“ setzen und die neue in der leeren Zeile "
        "ergänzen; die alte bleibt erhalten. Leerer Wert = unbekannt. Leere Zeilen werden nicht gespeichert.",
        "en": "Each fact holds from – to. To end a fact, set its “valid to” and add the new one in the empty row; the "
        "old one stays. An empty value means unknown. Empty rows are not saved.",
    },
    "network_rows_hint": {
        "de": "Eine Zeile je Aufgabe; leere Zeilen werden nicht gespeichert, „Zeile hinzufügen“ zeigt eine weitere.",
        "en": "One row per task; empty rows are not saved, “Add a row” shows one more.",
    },
    "network_add_row": {"de": "Zeile hinzufügen", "en": "Add a row"},
    "network_remove": {"de": "entfernen", "en": "remove"},
    "network_edit": {"de": "Bearbeiten", "en": "Edit"},
    "network_edit_title": {"de": "{name} bearbeiten", "en": "Edit {name}"},
    "network_save": {"de": "Speichern", "en": "Save"},
    "network_saved": {"de": "Gespeichert.", "en": "Saved."},
    "network_history": {"de": "Verlauf", "en": "History"},
    "network_when": {"de": "Wann", "en": "When"},
    "network_by": {"de": "Von", "en": "By"},
    "network_what": {"de": "Was", "en": "What"},
    "network_action_create": {"de": "angelegt", "en": "created"},
    "network_action_update": {"de": "geändert", "en": "changed"},
    "network_action_delete": {"de": "gelöscht", "en": "deleted"},
    "network_mark_done": {"de": "Als erledigt markieren", "en": "Mark done"},
    "network_reopen": {"de": "Wieder öffnen", "en": "Reopen"},
    "network_open_follow_ups": {"de": "Offene nächste Schritte", "en": "Open follow-ups"},
    "network_overdue": {"de": "überfällig", "en": "overdue"},
    # fund planner
    "fund": {"de": "Fonds", "en": "Fund"},
    "fund_title": {"de": "Fondsplaner", "en": "Fund planner"},
    "fund_lead": {
        "de": "Einen Ko-Investitionsfonds mit privaten Investoren planen: Bedingungen, Projektion mit J-Kurve und "
        "Verlustwahrscheinlichkeit, Deal-Pipeline mit Prüfung des Cluster-Mandats und Portfolio.",
        "en": "Plan a co-investment fund with private investors: terms, projection with J-curve and probability of "
        "loss, deal pipeline with the cluster mandate checked, and portfolio.",
    },
    "fund_plans": {"de": "Fondspläne", "en": "Fund plans"},
    "fund_no_plans": {"de": "Noch keine Fondspläne.", "en": "No fund plans yet."},
    "fund_new_plan": {"de": "Neuen Fondsplan anlegen", "en": "Create a fund plan"},
    "fund_edit": {"de": "Bearbeiten (neue Version)", "en": "Edit (new version)"},
    "fund_edit_plan": {"de": "{name} bearbeiten", "en": "Edit {name}"},
    "fund_editors_only": {
        "de": "Fondspläne und Deals ändern dürfen Bearbeiter*innen der Organisation des Plans.",
        "en": "Editors of the plan's organisation may change fund plans and deals.",
    },
    "fund_plan_nav": {"de": "Fondsplan", "en": "Fund plan"},
    "fund_terms": {"de": "Bedingungen", "en": "Terms"},
    "fund_pipeline": {"de": "Deal-Pipeline", "en": "Deal pipeline"},
    "fund_portfolio": {"de": "Portfolio", "en": "Portfolio"},
    "fund_projection": {"de": "Projektion", "en": "Projection"},
    "fund_editor_lead": {
        "de": "Die Bedingungen des Fonds als TOML-Text. Beim Speichern wird alles geprüft; ist etwas falsch, nennt "
        "die Meldung neben dem Editor Zeile und Feld, und nichts wird gespeichert. Jede Änderung wird eine neue "
        "Version; alte Versionen bleiben erhalten.",
        "en": "The fund's terms as TOML text. Everything is checked when saving; if something is wrong, the message "
        "beside the editor names line and field, and nothing is saved. Every change becomes a new version; old "
        "versions are kept.",
    },
    "fund_source": {"de": "Bedingungen (TOML)", "en": "Terms (TOML)"},
    "fund_source_hint": {
        "de": "Vorbelegt mit dem Beispielplan für Emscher-Lippe; jeder Abschnitt ist dort kommentiert.",
        "en": "Filled with the example plan for Emscher-Lippe; every section is commented there.",
    },
    "fund_example": {"de": "Beispielplan herunterladen", "en": "Download the example plan"},
    "fund_version_note": {"de": "Anlass dieser Version (optional)", "en": "Reason for this version (optional)"},
    "fund_save_plan": {"de": "Plan speichern", "en": "Save plan"},
    "fund_invalid_plan": {
        "de": "Der Plan ist nicht gültig – nichts wurde gespeichert",
        "en": "The plan is not valid – nothing was saved",
    },
    "fund_line_text": {"de": "Inhalt der Zeile", "en": "Text of the line"},
    "fund_editor_help_title": {"de": "Aufbau eines Plans", "en": "How a plan is written"},
    "fund_editor_help": {
        "de": "Oben Name, Gültigkeit (valid_from, valid_to), erstes Closing, Volumen, Investitionsphase und Laufzeit; "
        "dann je Investorenklasse ein [[classes]]-Abschnitt mit Zusage, [structure] (pari_passu, "
        "capped_public_return, public_first_loss, buyout_option), [fees], [waterfall], [investment] mit Tickets je "
        "Phase, [mandate] mit Clustern, Region und Phasen, [takahashi] und optional [simulation]. Beträge in Euro, "
        "Quoten als Anteil (0.02 = 2 %), Daten ohne Anführungszeichen (2026-07-01).",
        "en": "At the top name, validity (valid_from, valid_to), first close, size, investment period and life; then "
        "one [[classes]] section per investor class with its commitment, [structure] (pari_passu, "
        "capped_public_return, public_first_loss, buyout_option), [fees], [waterfall], [investment] with tickets per "
        "stage, [mandate] with clusters, region and stages, [takahashi] and optionally [simulation]. Amounts in "
        "euros, rates as fractions (0.02 = 2 %), dates without quotes (2026-07-01).",
    },
    "fund_key_taken": {
        "de": "Ihre Organisation hat schon einen Plan „{plan}“: bitte diesen bearbeiten oder einen anderen Kurznamen "
        "wählen.",
        "en": "Your organisation has a plan '{plan}' already: edit that one or choose another short name.",
    },
    "fund_plan_lead": {
        "de": "{organisation} · Version {version} vom {saved}",
        "en": "{organisation} · version {version} of {saved}",
    },
    "fund_saved_version": {"de": "Version {version} gespeichert.", "en": "Version {version} saved."},
    "fund_unchanged": {
        "de": "Unverändert – es bleibt bei Version {version}.",
        "en": "Unchanged – version {version} stays the newest.",
    },
    "fund_run_projection": {"de": "Projektion berechnen", "en": "Run the projection"},
    "fund_key_figures": {"de": "Eckdaten", "en": "Key figures"},
    "fund_size": {"de": "Fondsvolumen", "en": "Fund size"},
    "fund_first_close": {"de": "Erstes Closing", "en": "First close"},
    "fund_investment_period": {"de": "Investitionsphase", "en": "Investment period"},
    "fund_life": {"de": "Laufzeit", "en": "Fund life"},
    "fund_years": {"de": "{n} Jahre", "en": "{n} years"},
    "fund_valid": {"de": "Bedingungen gültig vom {start} bis {end}", "en": "Terms valid from {start} until {end}"},
    "fund_valid_open": {"de": "auf Weiteres", "en": "further notice"},
    "fund_classes": {"de": "Investorenklassen", "en": "Investor classes"},
    "fund_class": {"de": "Klasse", "en": "Class"},
    "fund_kind": {"de": "Art", "en": "Kind"},
    "fund_kind_public": {"de": "öffentlich", "en": "public"},
    "fund_kind_private": {"de": "privat", "en": "private"},
    "fund_kind_other": {"de": "sonstige", "en": "other"},
    "fund_commitment": {"de": "Zusage", "en": "Commitment"},
    "fund_leverage_text": {
        "de": "Je öffentlichem Euro kommen {private} € privates Kapital hinzu; der Fonds ist {fund}-mal so groß wie "
        "die öffentliche Zusage.",
        "en": "Each public euro brings €{private} of private capital; the fund is {fund} times the public commitment.",
    },
    "fund_structure": {"de": "Struktur zwischen den Klassen", "en": "Structure between the classes"},
    "fund_structure_pari_passu": {
        "de": "Pari passu: Alle Klassen tragen Abrufe, Ausschüttungen und Wert anteilig zu ihren Zusagen.",
        "en": "Pari passu: every class shares calls, distributions and value pro rata to its commitment.",
    },
    "fund_structure_capped_public_return": {
        "de": "Gedeckelte öffentliche Rendite: Die öffentliche Hand erhält ihr Kapital und bis zu {cap} p. a.; vom "
        "Gewinn darüber erhält sie {share}, den Rest die privaten Investoren.",
        "en": "Capped public return: the public side gets its capital back and up to {cap} p.a.; of the profit "
        "above that it gets {share}, the private investors the rest.",
    },
    "fund_structure_public_first_loss": {
        "de": "Erstverlust der öffentlichen Hand: {share} {basis} tragen als nachrangige Tranche die ersten Verluste.",
        "en": "Public first loss: {share} {basis} is a junior tranche that bears the first losses.",
    },
    "fund_first_loss_public_commitment": {"de": "der öffentlichen Zusage", "en": "of the public commitment"},
    "fund_first_loss_fund": {"de": "des Fondsvolumens", "en": "of the fund size"},
    "fund_structure_buyout_option": {
        "de": "Kaufoption der Privaten auf den öffentlichen Anteil (Yozma): Preis = öffentliches Nettokapital, "
        "verzinst mit {early} p. a. in den ersten {switch} Jahren, danach {late}; ausübbar ab Jahr {start}.",
        "en": "Buy-out option of the private investors on the public share (Yozma): price = public net paid-in "
        "capital accrued at {early} p.a. in the first {switch} years, {late} after; exercisable from year {start}.",
    },
    "fund_fees": {"de": "Verwaltungsvergütung", "en": "Management fee"},
    "fund_fees_text": {
        "de": "{rate_ip} p. a. auf {basis_ip} in der Investitionsphase, danach {rate_after} p. a. auf {basis_after}.",
        "en": "{rate_ip} p.a. on {basis_ip} in the investment period, then {rate_after} p.a. on {basis_after}.",
    },
    "fund_basis_commitment": {"de": "die Zusagen", "en": "commitments"},
    "fund_basis_invested": {"de": "das investierte Kapital", "en": "invested capital"},
    "fund_waterfall": {"de": "Gewinnverteilung (europäischer Wasserfall)", "en": "Waterfall (European, whole fund)"},
    "fund_waterfall_text": {
        "de": "Vorzugsrendite (Hürde) {hurdle} p. a., {compounding}; Carried Interest {carry}; Catch-up {catch_up}.",
        "en": "Preferred return (hurdle) {hurdle} p.a., {compounding}; carried interest {carry}; catch-up {catch_up}.",
    },
    "fund_compounding_compound": {"de": "mit Zinseszins", "en": "compounded"},
    "fund_compounding_simple": {"de": "ohne Zinseszins", "en": "simple"},
    "fund_tickets": {"de": "Tickets je Finanzierungsphase", "en": "Tickets per stage"},
    "fund_stage": {"de": "Phase", "en": "Stage"},
    "fund_ticket": {"de": "Erstinvestment", "en": "Initial ticket"},
    "fund_reserve": {"de": "Reserve für Folgefinanzierungen", "en": "Follow-on reserve"},
    "fund_max_per_company": {"de": "Höchstens je Unternehmen", "en": "Maximum per company"},
    "fund_no_limit": {"de": "keine Grenze", "en": "no limit"},
    "fund_mandate": {"de": "Mandat", "en": "Mandate"},
    "fund_mandate_text": {
        "de": "Finanziert werden Unternehmen in den Clustern {clusters} (Taxonomie {taxonomy}) in der Region "
        "{region}, in den Phasen {stages}, mit höchstens {max} je Unternehmen.",
        "en": "The fund finances companies in the clusters {clusters} ({taxonomy} taxonomy) in the region {region}, "
        "at the stages {stages}, with at most {max} per company.",
    },
    "fund_mandate_age": {
        "de": "Unternehmen höchstens {years} Jahre nach der Gründung.",
        "en": "Companies at most {years} years after founding.",
    },
    "fund_no_mandate": {
        "de": "Der Plan hat kein Mandat: Deals werden nicht geprüft.",
        "en": "The plan has no mandate: deals are not checked.",
    },
    "fund_versions": {"de": "Versionen", "en": "Versions"},
    "fund_version": {"de": "Version", "en": "Version"},
    "fund_saved": {"de": "Gespeichert", "en": "Saved"},
    "fund_by": {"de": "Von", "en": "By"},
    "fund_when": {"de": "Wann", "en": "When"},
    "fund_change": {"de": "Änderung", "en": "Change"},
    "fund_created": {"de": "angelegt", "en": "created"},
    "fund_download_toml": {"de": "TOML herunterladen", "en": "Download TOML"},
    "fund_pipeline_title": {"de": "Deal-Pipeline: {name}", "en": "Deal pipeline: {name}"},
    "fund_pipeline_lead": {
        "de": "Jeder Deal wird beim Erfassen, Verschieben und bei jeder neuen Planversion gegen das Mandat geprüft; "
        "die Karte nennt die Gründe, warum ein Deal nicht förderfähig ist. Je Spalte: Zahl der Deals und Summe der "
        "Tickets.",
        "en": "Every deal is checked against the mandate when it is added or moved and with every new plan "
        "version; the card names the reasons why a deal is not eligible. Per column: number of deals and sum of "
        "the tickets.",
    },
    "fund_column_total": {"de": "Deals: {deals} · Summe {amount}", "en": "Deals: {deals} · total {amount}"},
    "fund_no_deals": {"de": "keine Deals", "en": "no deals"},
    "fund_eligible": {"de": "förderfähig", "en": "eligible"},
    "fund_not_eligible": {"de": "nicht förderfähig", "en": "not eligible"},
    "fund_not_checked": {"de": "nicht geprüft (kein Mandat)", "en": "not checked (no mandate)"},
    "fund_move_to": {"de": "Verschieben nach", "en": "Move to"},
    "fund_move": {"de": "Verschieben", "en": "Move"},
    "fund_add_deal": {"de": "Deal erfassen", "en": "Add a deal"},
    "fund_deal_lead": {
        "de": "Nach dem Speichern zeigt die Seite des Deals jede Regel des Mandats mit ihrer Begründung.",
        "en": "After saving, the deal's page shows every rule of the mandate with its reason.",
    },
    "fund_deal_invalid": {"de": "Der Deal wurde nicht gespeichert", "en": "The deal was not saved"},
    "fund_save_deal": {"de": "Deal speichern und prüfen", "en": "Save and check the deal"},
    "fund_field_key": {"de": "Schlüssel", "en": "Key"},
    "fund_field_company": {"de": "Unternehmen", "en": "Company"},
    "fund_field_code": {"de": "Branchencode", "en": "Industry code"},
    "fund_code_hint": {"de": "z. B. WZ 62.01 oder NAICS 541511", "en": "e.g. WZ 62.01 or NAICS 541511"},
    "fund_field_classification": {"de": "Klassifikation des Codes", "en": "Classification of the code"},
    "fund_field_region": {"de": "Region des Unternehmens", "en": "Company's region"},
    "fund_region_hint": {
        "de": "Gemeinde- oder Kreisschlüssel (05562004), nuts:DEA36 oder us:26163",
        "en": "Gemeinde or Kreis code (05562004), nuts:DEA36 or us:26163",
    },
    "fund_field_stage": {"de": "Finanzierungsphase", "en": "Stage"},
    "fund_field_amount": {"de": "Ticket des Fonds (€)", "en": "Fund's ticket (€)"},
    "fund_field_status": {"de": "Status", "en": "Status"},
    "fund_field_round_date": {"de": "Datum der Runde", "en": "Round date"},
    "fund_field_founded": {"de": "Gegründet am", "en": "Founded on"},
    "fund_field_jobs": {"de": "Arbeitsplätze in der Region", "en": "Jobs in the region"},
    "fund_field_notes": {"de": "Notizen", "en": "Notes"},
    "fund_key": {"de": "Schlüssel", "en": "Key"},
    "fund_deal_saved": {
        "de": "Deal gespeichert und gegen das Mandat geprüft.",
        "en": "Deal saved and checked against the mandate.",
    },
    "fund_mandate_check": {"de": "Prüfung gegen das Mandat", "en": "Mandate check"},
    "fund_mandate_eligible": {
        "de": "Förderfähig: Der Deal erfüllt jede Regel des Mandats.",
        "en": "Eligible: the deal meets every rule of the mandate.",
    },
    "fund_mandate_not_eligible": {
        "de": "Nicht förderfähig: {failed} Regel(n) nicht erfüllt, die Gründe stehen unten.",
        "en": "Not eligible: {failed} rule(s) not met, the reasons are below.",
    },
    "fund_checked_version": {
        "de": "(geprüft gegen Planversion {version})",
        "en": "(checked against plan version {version})",
    },
    "fund_rule": {"de": "Regel", "en": "Rule"},
    "fund_result": {"de": "Ergebnis", "en": "Result"},
    "fund_reason": {"de": "Begründung", "en": "Reason"},
    "fund_passed": {"de": "erfüllt", "en": "met"},
    "fund_failed": {"de": "nicht erfüllt", "en": "not met"},
    "fund_rule_cluster": {"de": "Cluster", "en": "Cluster"},
    "fund_rule_region": {"de": "Region", "en": "Region"},
    "fund_rule_stage": {"de": "Finanzierungsphase", "en": "Stage"},
    "fund_rule_max_per_company": {"de": "Höchstbetrag je Unternehmen", "en": "Maximum per company"},
    "fund_rule_company_age": {"de": "Alter des Unternehmens", "en": "Company age"},
    "fund_history": {"de": "Verlauf", "en": "History"},
    "fund_deals_import": {"de": "Deals importieren (CSV)", "en": "Import deals (CSV)"},
    "fund_import_lead": {
        "de": "Spalten company, code, region, stage, amount (Pflicht) und key, classification, status, round_date, "
        "founded, jobs, notes (auch deutsch: Unternehmen, WZ, AGS, Phase, Betrag …). Der Import ist atomar: bei "
        "einem Fehler bleibt die Pipeline unverändert, und die Meldung nennt Datei, Zeile und Feld. Ein zweiter "
        "Import derselben Datei ändert nichts.",
        "en": "Columns company, code, region, stage, amount (required) and key, classification, status, round_date, "
        "founded, jobs, notes. The import is atomic: on an error the pipeline stays unchanged, and the message names "
        "file, line and field. Importing the same file again changes nothing.",
    },
    "fund_import_done": {
        "de": "Import abgeschlossen: {created} neu, {updated} geändert, {unchanged} unverändert.",
        "en": "Import finished: {created} new, {updated} changed, {unchanged} unchanged.",
    },
    "fund_deals_export": {"de": "Deals exportieren (CSV)", "en": "Export deals (CSV)"},
    "fund_deals_export_json": {"de": "Deals mit Prüfungen (JSON)", "en": "Deals with their checks (JSON)"},
    "fund_portfolio_title": {"de": "Portfolio: {name}", "en": "Portfolio: {name}"},
    "fund_portfolio_lead": {
        "de": "Die investierten Deals je Cluster und Phase, die Pipeline je Status und die Wirkung in der Region – "
        "aus den Deals, die Sie sehen dürfen.",
        "en": "The invested deals per cluster and stage, the pipeline per status and the impact in the region – "
        "from the deals you may see.",
    },
    "fund_deals_invested": {"de": "Investierte Deals", "en": "Invested deals"},
    "fund_amount_invested": {"de": "Investiert", "en": "Invested"},
    "fund_companies_financed": {"de": "Finanzierte Unternehmen", "en": "Companies financed"},
    "fund_companies_in_region": {"de": "davon in der Region", "en": "of them in the region"},
    "fund_jobs_in_region": {"de": "Arbeitsplätze in der Region", "en": "Jobs in the region"},
    "fund_jobs_coverage": {
        "de": "Angaben von {n} der {of} Unternehmen in der Region",
        "en": "reported by {n} of the {of} companies in the region",
    },
    "fund_read_portfolio": {
        "de": "Je Gruppe: Zahl der Deals, Summe der Tickets und Zahl der verschiedenen Unternehmen. Cluster und "
        "Phase zählen nur investierte Deals; ein Deal außerhalb der Mandatscluster steht unter „ohne "
        "Mandatscluster“. Die Pipeline zählt alle Deals je Status. Arbeitsplätze: je Unternehmen in der Region die "
        "Angabe seines jüngsten investierten Deals.",
        "en": "Per group: number of deals, sum of the tickets and number of distinct companies. Clusters and stages "
        "count invested deals only; a deal outside the mandate's clusters is listed as such. The pipeline counts "
        "every deal per status. Jobs: per company in the region the figure of its latest invested deal.",
    },
    "fund_group": {"de": "Gruppe", "en": "Group"},
    "fund_deals": {"de": "Deals", "en": "Deals"},
    "fund_amount": {"de": "Betrag", "en": "Amount"},
    "fund_companies": {"de": "Unternehmen", "en": "Companies"},
    "fund_by_cluster": {"de": "Investiert nach Cluster", "en": "Invested by cluster"},
    "fund_by_stage": {"de": "Investiert nach Phase", "en": "Invested by stage"},
    "fund_by_status": {"de": "Pipeline nach Status", "en": "Pipeline by status"},
    "fund_projection_title": {"de": "Projektion: {name}", "en": "Projection: {name}"},
    "fund_projection_lead": {
        "de": "Monte-Carlo-Simulation des Portfolios auf Version {version} der Bedingungen: je Pfad eine mögliche "
        "Geschichte des Fonds, durch Gebühren, Wasserfall und Struktur bis zu jeder Investorenklasse. Daneben die "
        "deterministische Projektion nach Takahashi–Alexander. Gleiche Pfade und gleicher Startwert ergeben "
        "dieselben Zahlen – hier, in der API und auf der Kommandozeile.",
        "en": "Monte Carlo simulation of the portfolio on version {version} of the terms: each path one possible "
        "history of the fund, through fees, waterfall and structure to every investor class. Beside it the "
        "deterministic Takahashi–Alexander projection. The same paths and seed give the same numbers – here, in the "
        "API and on the command line.",
    },
    "fund_paths": {"de": "Pfade", "en": "Paths"},
    "fund_paths_hint": {"de": "{low} bis {high}", "en": "{low} to {high}"},
    "fund_seed": {"de": "Startwert", "en": "Seed"},
    "fund_seed_hint": {"de": "gleicher Startwert, gleiche Zahlen", "en": "same seed, same numbers"},
    "fund_run": {"de": "Berechnen", "en": "Run"},
    "fund_not_whole": {
        "de": "{field}: „{value}“ ist keine ganze Zahl.",
        "en": "{field}: '{value}' is not a whole number.",
    },
    "fund_out_of_range": {
        "de": "{field} muss zwischen {low} und {high} liegen (angegeben: {value}).",
        "en": "{field} must be between {low} and {high} (given: {value}).",
    },
    "fund_outcomes_by_class": {"de": "Ergebnis je Investorenklasse", "en": "Outcome per investor class"},
    "fund_read_investors": {
        "de": "Je Kennzahl die Verteilung über alle Pfade: P5 heißt, 5 % der Pfade liegen darunter; der Median "
        "teilt die Pfade in zwei Hälften. IRR: jährliche Rendite der Zahlungsströme der Klasse; TVPI: Gesamtwert "
        "(Ausschüttungen und Restwert) je eingezahltem Euro; DPI: schon ausgeschüttet; RVPI: noch im Fonds. Ein "
        "TVPI unter 1 heißt: weniger zurück als eingezahlt.",
        "en": "Per metric the distribution over all paths: P5 means 5 % of the paths lie below; the median splits "
        "the paths in two halves. IRR: annual return of the class's cash flows; TVPI: total value (distributions "
        "and residual value) per euro paid in; DPI: distributed so far; RVPI: still in the fund. A TVPI below 1 "
        "means less back than paid in.",
    },
    "fund_j_curve": {"de": "J-Kurve", "en": "J-curve"},
    "fund_read_j_curve": {
        "de": "Die Linie zeigt je Quartal den Median des kumulierten Nettozuflusses (Ausschüttungen minus "
        "Einzahlungen) als Anteil der Zusage, das Band reicht von P10 bis P90 der Pfade. Zu Beginn wird nur "
        "eingezahlt (die Kurve fällt), später fließt Geld zurück. Wo die Linie die Null kreuzt, hat die Klasse ihr "
        "Geld zurück.",
        "en": "The line shows per quarter the median cumulative net cash flow (distributions minus contributions) as "
        "a share of the commitment, the band runs from P10 to P90 of the paths. At first money is only paid in (the "
        "curve falls), later it flows back. Where the line crosses zero the class has its money back.",
    },
    "fund_outcome_distribution": {"de": "Verteilung der Ergebnisse", "en": "Distribution of outcomes"},
    "fund_read_outcomes": {
        "de": "Jeder Balken zählt die Pfade, deren TVPI in seinem Bereich liegt. Links der roten Linie (TVPI = 1) "
        "verliert die Klasse Geld; über jedem Feld steht, in welchem Anteil der Pfade. Ein langer rechter Ausläufer "
        "ist typisch für Wagniskapital: wenige große Erfolge tragen den Fonds.",
        "en": "Each bar counts the paths whose TVPI lies in its range. Left of the red line (TVPI = 1) the class "
        "loses money; above each panel stands in which share of the paths. A long right tail is typical of venture "
        "capital: a few large successes carry the fund.",
    },
    "fund_takahashi": {"de": "Deterministische Projektion", "en": "Deterministic projection"},
    "fund_read_takahashi": {
        "de": "Das Modell von Takahashi und Alexander rechnet ohne Zufall mit festen Abrufquoten, Wachstum und "
        "Ausschüttungsrate: Balken sind Einzahlungen und Ausschüttungen je Jahr, die Linie der Wert des Fonds "
        "(NAV). Es zeigt den erwarteten Verlauf, wie ihn ein Haushalt plant, nicht seine Streuung.",
        "en": "The Takahashi–Alexander model computes without chance, with fixed contribution rates, growth and "
        "distribution rate: bars are contributions and distributions per year, the line the fund's value (NAV). It "
        "shows the expected course a budget plans with, not its spread.",
    },
    "fund_leverage": {"de": "Hebel des öffentlichen Geldes", "en": "Leverage of public money"},
    "fund_private_per_public": {"de": "Privates Kapital je öffentlichem Euro", "en": "Private capital per public euro"},
    "fund_fund_per_public": {"de": "Fondsvolumen je öffentlichem Euro", "en": "Fund size per public euro"},
    "fund_finance_per_public": {
        "de": "In Unternehmen investiert je öffentlichem Euro (Median)",
        "en": "Invested in companies per public euro (median)",
    },
    "fund_read_leverage": {
        "de": "Privates Kapital je öffentlichem Euro: Zusagen der privaten und sonstigen Klassen geteilt durch die "
        "öffentlichen. Fondsvolumen je öffentlichem Euro: die Definition der EU-Strukturfonds (fi-compass). In "
        "Unternehmen investiert: was im Median der Pfade bei den Unternehmen ankommt, je öffentlichem Euro "
        "(Haushaltsordnung der EU, Art. 223).",
        "en": "Private capital per public euro: commitments of the private and other classes divided by the public "
        "ones. Fund size per public euro: the definition of the EU structural funds (fi-compass). Invested in "
        "companies: what reaches the companies in the median path, per public euro (EU Financial Regulation, "
        "Art. 223).",
    },
    "fund_impact": {"de": "Wirkung in der Region (simuliert)", "en": "Impact in the region (simulated)"},
    "fund_read_impact": {
        "de": "Je Kennzahl die Verteilung über die Pfade: wie viele Unternehmen der Fonds finanziert, wie oft er "
        "nachfinanziert, wie viele ausfallen und wie viele verkauft werden oder an die Börse gehen.",
        "en": "Per indicator the distribution over the paths: how many companies the fund finances, how often it "
        "invests in a follow-on round, how many fail and how many are sold or listed.",
    },
    "fund_assumptions": {"de": "Annahmen", "en": "Assumptions"},
    "fund_assumptions_lead": {
        "de": "Was die Projektion über die Bedingungen des Plans hinaus annimmt. Jede Standardannahme stammt aus "
        "einer veröffentlichten Quelle und lässt sich im Abschnitt [simulation] des Plans überschreiben.",
        "en": "What the projection assumes beyond the plan's terms. Every default comes from a published source and "
        "can be overridden in the plan's [simulation] section.",
    },
    "fund_defaults": {"de": "Standardwerte", "en": "Defaults"},
    "fund_sources": {"de": "Quellen der Standardannahmen", "en": "Sources of the defaults"},
    # concept builder
    "concept": {"de": "Konzept", "en": "Concept"},
    "concept_title": {"de": "Entwicklungskonzepte", "en": "Development concepts"},
    "concept_lead": {
        "de": "Das eigene Entwicklungskonzept der Region: Fokuscluster auf Evidenz, Instrumente aus der Wissensbasis, "
        "Fonds, Organisation — bis zur Fassung, die die Räte beschließen.",
        "en": "The region's own development concept: focus clusters on evidence, instruments from the knowledge base, "
        "fund, organisation — up to the version the councils adopt.",
    },
    "concept_new": {"de": "Neues Konzept", "en": "New concept"},
    "concept_create": {"de": "Konzept anlegen", "en": "Create concept"},
    "concept_list": {"de": "Konzepte", "en": "Concepts"},
    "concept_none": {"de": "Noch keine Konzepte, die Sie sehen dürfen.", "en": "No concepts you may see yet."},
    "concept_name": {"de": "Titel", "en": "Title"},
    "concept_target": {"de": "Zielregion", "en": "Target region"},
    "concept_target_hint": {
        "de": "Kreis- oder Gemeindeschlüssel oder Gruppe, z. B. emscher-lippe",
        "en": "district or municipality code, or a group, e.g. emscher-lippe",
    },
    "concept_authors": {"de": "Autorinnen und Autoren", "en": "Authors"},
    "concept_network": {"de": "Netzwerk (für die Mitzeichnung)", "en": "Network (for sign-off)"},
    "concept_no_network": {"de": "kein Netzwerk", "en": "no network"},
    "concept_status": {"de": "Status", "en": "Status"},
    "concept_status_now": {"de": "Aktueller Status", "en": "Current status"},
    "concept_status_draft": {"de": "Entwurf", "en": "Draft"},
    "concept_status_in_consultation": {"de": "In Abstimmung", "en": "In consultation"},
    "concept_status_adopted": {"de": "Beschlossen", "en": "Adopted"},
    "concept_move_draft": {"de": "Zurück in den Entwurf", "en": "Back to draft"},
    "concept_move_in_consultation": {"de": "In die Abstimmung geben", "en": "Send out for consultation"},
    "concept_move_adopted": {"de": "Als beschlossen festhalten", "en": "Record as adopted"},
    "concept_no_moves": {
        "de": "Beschlossen. Eine Änderung beginnt einen neuen Entwurf; die beschlossene Fassung bleibt unverändert.",
        "en": "Adopted. A change starts a new draft; the adopted version stays unchanged.",
    },
    "concept_adopted_version": {
        "de": "Beschlossene Fassung: Version {version} ({date})",
        "en": "Adopted version: version {version} ({date})",
    },
    "concept_missing_sign_offs": {
        "de": "Zum Beschluss fehlt noch die Mitzeichnung von: {orgs}",
        "en": "Adoption still needs the sign-off of: {orgs}",
    },
    "concept_lead_line": {
        "de": "Zielregion {target} · {organisation} · Version {version}",
        "en": "Target region {target} · {organisation} · version {version}",
    },
    "concept_sections": {"de": "Teile des Konzepts", "en": "Parts of the concept"},
    "concept_overview": {"de": "Überblick", "en": "Overview"},
    "concept_evidence": {"de": "Evidenz & Fokuscluster", "en": "Evidence & focus clusters"},
    "concept_instruments": {"de": "Instrumente & Fonds", "en": "Instruments & fund"},
    "concept_organisation": {"de": "Organisation", "en": "Organisation"},
    "concept_editors_only": {
        "de": "Nur Redakteurinnen und Redakteure der Organisation des Konzepts können es ändern.",
        "en": "Only editors of the concept's organisation can change it.",
    },
    "concept_notice_saved": {"de": "Gespeichert.", "en": "Saved."},
    "concept_notice_unchanged": {
        "de": "Nichts geändert — keine neue Version.",
        "en": "Nothing changed — no new version.",
    },
    "concept_notice_moved": {"de": "Status geändert.", "en": "Status changed."},
    "concept_notice_commented": {"de": "Kommentar gespeichert.", "en": "Comment saved."},
    "concept_notice_asked": {"de": "Mitzeichnung angefragt.", "en": "Sign-off requested."},
    "concept_notice_answered": {"de": "Antwort gespeichert.", "en": "Answer saved."},
    "concept_notice_checked": {"de": "Evidenzprüfung gespeichert.", "en": "Evidence check stored."},
    "concept_evidence_state": {"de": "Stand der Evidenz", "en": "State of the evidence"},
    "concept_outdated_title": {
        "de": "Die Evidenz einiger Fokuscluster ist veraltet: neuere Daten wurden importiert.",
        "en": "The evidence of some focus clusters is outdated: newer data were imported.",
    },
    "concept_outdated_changes": {"de": "Was sich seither geändert hat:", "en": "What changed since:"},
    "concept_outdated_action": {
        "de": "Prüfen Sie die Wahl auf der aktuellen Evidenz und speichern Sie sie neu:",
        "en": "Review the choice on the current evidence and save it again:",
    },
    "concept_store_finding": {"de": "Befund am Konzept festhalten", "en": "Store the finding with the concept"},
    "concept_outdated_marker": {"de": "{n} veraltet", "en": "{n} outdated"},
    "concept_evidence_current": {
        "de": "Die Fokuscluster beruhen auf der aktuellen Evidenz.",
        "en": "The focus clusters rest on the current evidence.",
    },
    "concept_evidence_checked": {"de": "Zuletzt geprüft: {date}", "en": "Last checked: {date}"},
    "concept_no_focus_yet": {"de": "Noch keine Fokuscluster gewählt.", "en": "No focus clusters chosen yet."},
    "concept_content": {"de": "Inhalt (Version {version})", "en": "Content (version {version})"},
    "concept_summary": {"de": "Zusammenfassung", "en": "Summary"},
    "concept_focus_clusters": {"de": "Fokuscluster", "en": "Focus clusters"},
    "concept_vintage": {"de": "Datenstand {vintage}", "en": "data vintage {vintage}"},
    "concept_fund_plan": {"de": "Fondsplan", "en": "Fund plan"},
    "concept_plan_hidden": {
        "de": "Sie dürfen diesen Fondsplan nicht sehen.",
        "en": "You may not see this fund plan.",
    },
    "concept_operator_model": {"de": "Betreibermodell", "en": "Operator model"},
    "concept_operator_hint": {
        "de": "z. B. eine Gesellschaft der Städte und des Kreises, wie die Hannover Impuls GmbH von Stadt und Region",
        "en": "e.g. a company owned by the cities and the district, as Hannover Impuls GmbH by city and region",
    },
    "concept_budget": {"de": "Budget", "en": "Budget"},
    "concept_budget_hint": {
        "de": "eine Zeile je Posten: Posten; Betrag in Euro; Jahr",
        "en": "one line per item: item; amount in euros; year",
    },
    "concept_budget_item": {"de": "Posten", "en": "Item"},
    "concept_year": {"de": "Jahr", "en": "Year"},
    "concept_amount": {"de": "Betrag", "en": "Amount"},
    "concept_total": {"de": "Summe", "en": "Total"},
    "concept_milestones": {"de": "Meilensteine", "en": "Milestones"},
    "concept_milestones_hint": {
        "de": "eine Zeile je Meilenstein: JJJJ-MM-TT; Titel",
        "en": "one line per milestone: YYYY-MM-DD; title",
    },
    "concept_download_docx": {"de": "Konzeptpapier (Word)", "en": "Concept paper (Word)"},
    "concept_download_pdf": {"de": "Konzeptpapier (PDF)", "en": "Concept paper (PDF)"},
    "concept_download_csv": {"de": "Rangliste (CSV)", "en": "Ranking (CSV)"},
    "concept_versions": {"de": "Versionen", "en": "Versions"},
    "concept_version": {"de": "Version", "en": "Version"},
    "concept_compare": {"de": "Vergleich", "en": "Compare"},
    "concept_compare_with": {"de": "mit Version {version} vergleichen", "en": "compare with version {version}"},
    "concept_compare_heading": {
        "de": "Was sich von Version {a} zu Version {b} geändert hat",
        "en": "What changed from version {a} to version {b}",
    },
    "concept_no_changes": {"de": "Keine Änderungen.", "en": "No changes."},
    "concept_sign_offs": {"de": "Mitzeichnung", "en": "Sign-off"},
    "concept_no_sign_offs": {"de": "Noch niemand um Mitzeichnung gebeten.", "en": "Nobody asked to sign off yet."},
    "concept_sign_off_requested": {"de": "angefragt", "en": "requested"},
    "concept_sign_off_approved": {"de": "mitgezeichnet", "en": "approved"},
    "concept_sign_off_declined": {"de": "abgelehnt", "en": "declined"},
    "concept_answer": {"de": "Antwort", "en": "Answer"},
    "concept_approve": {"de": "Mitzeichnen", "en": "Approve"},
    "concept_decline": {"de": "Ablehnen", "en": "Decline"},
    "concept_ask_sign_off": {"de": "Um Mitzeichnung bitten:", "en": "Ask for sign-off:"},
    "concept_ask": {"de": "Anfragen", "en": "Ask"},
    "concept_share_first": {
        "de": "Geben Sie das Konzept zuerst für das Netzwerk frei (Organisation → Sichtbarkeit).",
        "en": "Share the concept with the network first (organisation → visibility).",
    },
    "concept_asked_of_you": {"de": "Um Ihre Mitzeichnung gebeten", "en": "Your sign-off is asked for"},
    "concept_comments": {"de": "Kommentare", "en": "Comments"},
    "concept_no_comments": {"de": "Noch keine Kommentare.", "en": "No comments yet."},
    "concept_comment": {"de": "Kommentar", "en": "Comment"},
    "concept_add_comment": {"de": "Kommentieren", "en": "Add comment"},
    "concept_evidence_heading": {"de": "Fokuscluster für {target}", "en": "Focus clusters for {target}"},
    "concept_evidence_lead": {
        "de": "Jeder Kandidatencluster mit Stärke, Dynamik und Potenzial in der Zielregion, gewichtet und gereiht; "
        "wählen Sie die Fokuscluster und begründen Sie die Wahl neben der Evidenz.",
        "en": "Every candidate cluster with its strength, dynamics and potential in the target region, weighted and "
        "ranked; choose the focus clusters and justify the choice beside the evidence.",
    },
    "concept_peers_note": {
        "de": "Vergleichsregionen: die {n} strukturell ähnlichsten Regionen (Peers); die Begründung jedes Clusters "
        "nennt, in welchen von ihnen er stark ist. Sie gehen nicht in den Punktwert ein.",
        "en": "Peer regions: the {n} structurally most similar regions; each cluster's reason names those in which it "
        "is strong. They do not enter the score.",
    },
    "concept_strength": {"de": "Stärke", "en": "Strength"},
    "concept_dynamics": {"de": "Dynamik", "en": "Dynamics"},
    "concept_potential": {"de": "Potenzial", "en": "Potential"},
    "concept_weight_of": {"de": "Gewicht {name}", "en": "Weight of {name}"},
    "concept_apply_weights": {"de": "Neu reihen", "en": "Re-rank"},
    "concept_weight_invalid": {
        "de": "Gewicht {name}: {value} ist keine Zahl zwischen 0 und 1000.",
        "en": "Weight of {name}: {value} is no number between 0 and 1000.",
    },
    "concept_weights_zero": {
        "de": "Mindestens ein Gewicht muss größer als 0 sein.",
        "en": "At least one weight must be above 0.",
    },
    "concept_scorecard_meta": {
        "de": "{region}, {base}–{year}, Datenstand {vintage}",
        "en": "{region}, {base}–{year}, data vintage {vintage}",
    },
    "concept_weights_used": {
        "de": "Gewichte: Stärke {strength}, Dynamik {dynamics}, Potenzial {potential}",
        "en": "weights: strength {strength}, dynamics {dynamics}, potential {potential}",
    },
    "concept_scorecard_how": {
        "de": "Jeder Indikator wird zu einem zentrierten Perzentilrang über die bewerteten Cluster (−0,5 bis +0,5); "
        "eine Dimension ist der Mittelwert ihrer Indikatoren, der Punktwert die gewichtete Summe der Dimensionen "
        "geteilt durch die Summe der Gewichte. Die Begründung nennt die Werte und was für und gegen den Cluster "
        "spricht.",
        "en": "Each indicator becomes a centred percentile rank across the rated clusters (−0.5 to +0.5); a "
        "dimension is the mean of its indicators, the score the weighted sum of the dimensions divided by the sum "
        "of the weights. The reason names the figures and what speaks for and against the cluster.",
    },
    "concept_ranking": {"de": "Rangliste der Kandidatencluster", "en": "Ranking of the candidate clusters"},
    "concept_choose": {"de": "Wählen", "en": "Choose"},
    "concept_rank": {"de": "Rang", "en": "Rank"},
    "concept_cluster": {"de": "Cluster", "en": "Cluster"},
    "concept_score": {"de": "Punktwert", "en": "Score"},
    "concept_employment": {"de": "Beschäftigte", "en": "Employees"},
    "concept_growth": {"de": "Wachstum", "en": "Growth"},
    "concept_density": {"de": "Dichte", "en": "Density"},
    "concept_reason": {"de": "Begründung des Rangs", "en": "Reason for the rank"},
    "concept_justification": {"de": "Ihre Begründung der Wahl", "en": "Your justification of the choice"},
    "concept_save_focus": {"de": "Fokuscluster speichern", "en": "Save focus clusters"},
    "concept_focus_records": {
        "de": "Die Wahl hält den Datenstand {vintage} und den Fingerabdruck der Evidenz fest.",
        "en": "The choice records data vintage {vintage} and the fingerprint of the evidence.",
    },
    "concept_unknown_clusters": {
        "de": "Diese Cluster stehen nicht in der Rangliste: {clusters}",
        "en": "These clusters are not in the ranking: {clusters}",
    },
    "concept_unresolved": {"de": "Nicht bewertbare Cluster", "en": "Clusters that cannot be rated"},
    "concept_method_notes": {"de": "Methodische Hinweise", "en": "Method notes"},
    "concept_instruments_heading": {"de": "Instrumente und Fonds", "en": "Instruments and fund"},
    "concept_instruments_lead": {
        "de": "Wählen Sie Initiativen aus der Wissensbasis als Instrumente, mit einer Notiz, und verknüpfen Sie "
        "einen Fondsplan; seine Eckdaten fließen ins Konzept.",
        "en": "Choose initiatives of the knowledge base as instruments, with a note, and link a fund plan; its key "
        "figures flow into the concept.",
    },
    "concept_instrument_list": {"de": "Instrumente", "en": "Instruments"},
    "concept_initiatives": {"de": "Initiativen der Wissensbasis", "en": "Initiatives of the knowledge base"},
    "concept_instrument_note": {"de": "Notiz: was übernommen wird", "en": "Note: what is adopted"},
    "concept_no_initiatives": {
        "de": "Die Wissensbasis hat keine Initiativen, die Sie sehen dürfen.",
        "en": "The knowledge base has no initiatives you may see.",
    },
    "concept_no_fund_plan": {"de": "kein Fondsplan", "en": "no fund plan"},
    "concept_fund_plan_version": {"de": "Version des Fondsplans", "en": "Version of the fund plan"},
    "concept_fund_plan_version_hint": {"de": "leer: die neueste", "en": "empty: the newest"},
    "concept_save": {"de": "Speichern", "en": "Save"},
    "concept_organisation_heading": {
        "de": "Organisation, Budget und Meilensteine",
        "en": "Organisation, budget and milestones",
    },
}
"""Words of the pages beyond the labels of results and reports."""


def check(lang: str | None) -> Lang:
    return "en" if lang == "en" else "de"


def t(key: str, lang: Lang, **values: object) -> str:
    """The page word ``key`` in ``lang``; falls back to report words, field labels and phrases, then the key."""
    entry = WORDS.get(key) or REPORT_WORDS.get(key) or EXTRA_LABELS.get(key) or PHRASES.get(key)
    if entry is None:
        label = text.label(key, lang)
        return label
    value = entry[lang]
    return value.format(**values) if values else value


def fmt_date(value: date | datetime | None, lang: Lang, form: str = "medium") -> str:
    """A date (or the date and time of a datetime) in the page's locale."""
    if value is None:
        return text.MISSING
    if isinstance(value, datetime):
        return format_datetime(value, format=form, locale=text.locale(lang))
    return format_date(value, format=form, locale=text.locale(lang))


def helpers(lang: Lang) -> dict[str, Any]:
    """The formatting functions every template gets, bound to ``lang``."""
    return {
        "t": lambda key, **kw: t(key, lang, **kw),
        "num": lambda v, digits=None: text.num(v, lang, digits),
        "pct": lambda v, digits=1: text.pct(v, lang, digits),
        "label": lambda key: text.label(key, lang),
        "bilingual": lambda de, en: de if lang == "de" else en,
        "date": lambda v, form="medium": fmt_date(v, lang, form),
        "status_label": lambda s: text.status_label(s, lang),
        "flag_label": lambda f: text.flag_label(f, lang),
        "vintages": lambda sources: text.vintages(sources, lang),
        "vintage_of": lambda v: text.vintage_text(v, lang) if v else text.MISSING,
        "universe": lambda u: text.universe_text(u, lang),
        "notes_of": lambda result: text.notes(result, lang),
        "reason_of": lambda item: text.reason(item, lang),
    }
