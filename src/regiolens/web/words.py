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
    "line": {"de": "Zeile", "en": "Line"},
    "field": {"de": "Feld", "en": "Field"},
    "message": {"de": "Meldung", "en": "Message"},
    "status": {"de": "Status", "en": "Status"},
    "no_file": {"de": "Bitte eine Datei auswählen.", "en": "Please choose a file."},
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
    }
