"""Word lists behind the rule signals, written in the form `normalize` gives (lower case, no accents).

They are the project's own lists of French (France, Belgium, Switzerland, Québec) internet vocabulary;
each entry is a regular expression fragment matched on whole words (a trailing e/s/es/x is allowed);
"_" in an entry stands for a space.
"""

import functools
import json
import re
from pathlib import Path

from vigie.triage.normalize import fold

# Insults and vulgarity, SMS spellings included (normalize has already expanded fdp, ntm, tg…).
INSULTS = r"""
connard connasse conard conasse connards? con conne cons connes abruti abrutie abrutis debile debiles
idiot idiote idiots imbecile imbeciles cretin cretine cretins enfoire enfoiree enfoires encule enculee
encules enculer enculeur salope salopes salaud salauds saloperie salopard pute putes putain pouffiasse
petasse grognasse garce batard batards batarde fils_de_pute fils_de_chien nique niquer niquez nique_ta_mere
nique_sa_mere ta_gueule ferme_ta_gueule fermez_vos_gueules ferme_la gueule merde merdes merdique
emmerde emmerdes emmerdeur emmerdeuse chieur chieuse chier casse_couilles casse-couilles couillon couillons
degage degagez casse_toi casse-toi cassez-vous va_te_faire_foutre allez_vous_faire_foutre
va_te_faire_enculer branleur branleurs branleuse bouffon bouffonne bouffons boloss bolos baltringue
tocard tocards tocarde naze nazes minable minables pauvre_type pauvre_con pauvre_conne pauvres_types
cassos cas_soc raclure raclures ordure ordures pourriture pourritures vermine sous-merde sous_merde
tete_de_noeud trou_du_cul trouduc tete_de_bite teteu tebe teubes pede pedes tapette tapettes tarlouze
fiotte fiottes lopette gouine gouines grosse_vache gros_porc truie boudin mongol mongolien mongols gogol
attarde attardee attardes triso trisomique neuneu demeure demeuree degenere degeneres sous-homme parasites?
racaille racailles crevard crevure crevures raclure sac_a_merde suce suceur suceuse branler bite zizi
chatte couilles foutre foutage_de_gueule bordel morue radasse catin trainee grosse_pute
clown clowns guignol guignols pitre charlot charlots bouffon debiles abrutis tares? tare cingle cingles
malade_mental malades_mentaux psychopathe escroc escrocs escroquerie arnaqueur arnaqueurs arnaqueuse
voleur voleurs voleuse menteur menteurs menteuse mythomane mytho charlatan charlatans charlatane
vautour vautours rapace rapaces sangsue sangsues nul_a_chier pathetique pathetiques imposteur imposture
incapable incapables incompetent incompetente incompetents ignare ignares abject abjecte honte_a_vous
crapule crapules canaille pourri pourris pourrie tabarnak tabarnac calisse caliss crisse osti ostie esti
sacrament mange_(?:d'la|de_la)_marde niaiseux niaiseuse cave_de colon stoeffer snul zievereer klette
bobet bedoume gros_con grosse_conne sale_con sale_conne sale_type sale_race ta_race ta_mere
"""

# Slurs and patterns of discrimination (origin, religion, sex, sexual orientation, disability).
DISCRIMINATION = r"""
bougnoule bougnoules bicot bicots negre negres negresse bamboula youpin youpins youtre chinetoque chinetoques
niakoue bridee? crouille crouilles raton ratons romano romanos bicots arabe_de_service
sale_(?:arabe|noir|noire|juif|juive|musulman|musulmane|blanc|bamboula|chinois|immigre|pede|gouine|negre|rebeu|renoi)
rentre(?:z)?_(?:dans|chez)_(?:ton|ta|vos|toi|vous|leur)_?(?:pays|bled)?
retourne(?:z)?_(?:dans|chez|au)_(?:ton|ta|vos|bled)
retourne_a_la_cuisine retourne_faire_la_vaisselle on_se_croirait_(?:plus_)?(?:pas_)?en_france
grand_remplacement remigration islamistes? islamo arabes_dehors etrangers_dehors migrants_dehors
les_(?:arabes|noirs|juifs|musulmans|homos|gays|lesbiennes|femmes|migrants|immigres|roms|gitans)_(?:sont|c'est|ca_reste|faut)
pd_de une_femme_(?:ca|ne_peut|n'a_rien) hysterique hysteriques mongol mongolien trisomique attarde
"""

THREATS = r"""
je_vais_(?:te|vous|le|la|les)_(?:tuer|buter|defoncer|retrouver|crever|faire_la_peau|egorger|bruler|frapper|eclater)
on_va_(?:te|vous|le|la|les)_(?:tuer|buter|defoncer|retrouver|crever|faire_la_peau|faire_payer|eclater)
(?:tu|vous)_(?:vas|allez)_(?:crever|mourir|le_payer|payer|regretter|voir_ce_qui)
je_sais_ou_(?:tu|vous)_(?:habite|habites|habitez|travaille|travailles|travaillez)
on_sait_ou_(?:tu|vous)_(?:habite|habites|habitez|travaille|travailles|travaillez)
creve crevez va_mourir allez_mourir que_(?:tu|vous)_crev\w* une_balle te_faire_la_peau
casser_la_gueule peter_la_gueule eclater_la_tete mettre_le_feu bruler_vos_locaux faire_sauter
je_vais_venir_(?:te|vous)_voir gare_a_(?:toi|vous) tu_(?:ne_)?perds_rien_pour_attendre
"""

SPAM = r"""
whatsapp telegram t\.me wa\.me signal_\+ crypto cryptos bitcoin btc forex trading trader binance ethereum
gains? gagne_\+?_?0+ revenus?_passifs? investis\w* investissement rentabilite doubl\w*_(?:votre|mon|ton)_capital
abonnes_reels followers likes_garantis boost\w* visibilite_garantie leads_qualifies seo referencement
offre_exclusive cliquez clique_ici lien_en_bio dm_pour inbox_me
voyance voyant marabout retour_de_l'etre_aime envoutement desenvoutement medium_serieux
recuperer_(?:votre|ton|mon)_argent fonds_perdus recovery hacker pirate_(?:de|pour) compte_suspendu
violation_des_droits_d'auteur desactivee? verifiez_votre_compte confirmez_votre_identite
sans_diplome depuis_chez_(?:moi|vous|soi) places_limitees contactez-moi ecrivez-moi
cpf_(?:offert|gratuit) vos_droits_cpf droits_cpf_(?:inutilises|expirent) reste_a_charge_zero
"""

MISINFORMATION = r"""
secte sectes sectaire sectaires gourou gourous complot complots complotistes? manipulation_mentale
lavage_de_cerveau endoctrin\w* emprise mk_?ultra dangereu\w* interdite? interdites? interdits?
pas_reconnus? non_reconnus? bidons? diplome_(?:bidon|achete|pas_reconnu) titre_achete faux_diplomes?
condamnee? condamnes? poursuivie? proces plainte plaintes enquete dgccrf miviludes radiee? radies?
etouffe\w* l'affaire ils_(?:cachent|mentent|vous_cachent) on_vous_cache la_verite tout_le_monde_le_sait
aucune_(?:preuve|validation|etude) pseudo-?science pseudo-?scientifique charlatanisme placebo
faux_souvenirs? big_pharma labos? actionnaires? conflit_d'interets scientifiquement_prouve
"""

JUSTICE = r"""
condamnee? condamnes? condamnation tribunal tribunaux proces justice plainte plaintes porter_plainte
avocat avocats juge prud'hommes enquete dgccrf miviludes mediateur_de_la_consommation radiee? radies?
ordre_des_medecins conseil_de_l'ordre diffamation diffamatoire penal poursuites? pharos
"""

FUNDING = r"""
cpf opco opca france_travail pole_emploi aif kairos fif-?pl fifpl anfh dpc faf faf-?pm fafcea agefice
akto uniformation atlas opco_?ep opco_sante transitions_pro ptp mon_compte_formation moncompteformation
financement financer finance finançable financable prise_en_charge plan_de_developpement abondement
"""

ACCESSIBILITY = r"""
handicap handicape handicapee rqth agefiph fauteuil_roulant pmr malentendante? sourde? surdite
malvoyante? aveugle dyslexi\w* dysorthographi\w* dyspraxi\w* tiers-?_?temps amenagements? referent_handicap
accessible accessibilite ascenseur toilettes_adaptees auxiliaire_de_vie tdah autiste_(?:asperger)?
"""

ADMINISTRATIVE = r"""
rembourse\w* remboursement acompte facture factures facturation devis convention attestation attestations
feuille_d'emargement emargement rgpd donnees_personnelles desabonn\w* supprimer_mes_donnees
reporter report_(?:de|d'inscription) annuler annulation desister desistement changer_de_session basculer
vae validation_des_acquis equivalence dossier_numero numero_de_dossier cgv mutation arret_maladie
conge_maternite enceinte certificat_medical mediateur confidentiel\w* plainte
"""

FOLLOW_UP = r"""
toujours_(?:pas|rien|aucune|sans) relance relancer relancee? je_me_permets_de_relancer sans_reponse
sans_nouvelles? personne_ne_(?:me_)?repond aucune_reponse j'attends_toujours up
"""

THANKS = r"""
merci mercii remercie remerciements bravo felicitations felicitation top genial super excellente? chapeau
gratitude reconnaissante? recommande
"""


_PLAIN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def compile_words(words: str) -> re.Pattern:
    """One regex for a word list: whole words, accents-free, with an optional plural or feminine end."""
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(phrases(words)) + r")(?:e?s|x)?(?![a-z0-9])")


def phrases(words: str) -> list[str]:
    return sorted({w.replace("_", " ") for w in words.split()}, key=len, reverse=True)


def split_entries(words: str) -> tuple[frozenset[str], list[str]]:
    """Plain single words (with their plural and feminine forms) for set look-ups, and the other entries."""
    plain, complex_ = set(), []
    for entry in phrases(words):
        if _PLAIN.fullmatch(entry):
            plain.update({entry, entry + "s", entry + "e", entry + "es", entry + "x"})
        else:
            complex_.append(entry)
    return frozenset(plain), complex_


# ---------------------------------------------------------------- public lists (npm packages, copied by make)

VENDOR_DIR = Path(__file__).resolve().parent / "data" / "vendor"
LISTED_SOURCES = (
    VENDOR_DIR / "ldnoobw_fr.json",  # LDNOOBW, npm « naughty-words », CC-BY-4.0
    VENDOR_DIR / "ldnoobw_fr_ca.json",  # the same list's Québec entries
    VENDOR_DIR / "french_badwords_list.txt",  # npm « french-badwords-list », MIT
)
# Entries of those lists that are everyday French words far more often than insults.
LISTED_EVERYDAY = frozenset(
    """sale manche pet gourde coche punaise magot bin epais crouton crotte minus baiser bander jouir meuf folle
    gerbe pipi caca peter tanche trique gland fritz rosbif niac pouf miserable cricri courtaud chauffard bourre
    bourree gaupe vier stearique""".split()
) | {"menage a trois", "grande folle"}
_LISTED_FORM = re.compile(r"[a-z]+(?:[ '-][a-z]+)*")


class ListsMissing(RuntimeError):
    """A public word list is absent; the message is for people (French)."""


@functools.cache
def listed_bad_words() -> tuple[frozenset[str], tuple[str, ...]]:
    """Single words and phrases of the public French bad-word lists, folded, everyday words left out."""
    entries: set[str] = set()
    for path in LISTED_SOURCES:
        if not path.exists():
            raise ListsMissing(f"Liste de mots absente ({path}) : lancez « make install ».")
        content = path.read_text(encoding="utf-8")
        raw = json.loads(content) if path.suffix == ".json" else content.splitlines()
        entries.update(fold(entry).strip() for entry in raw)
    kept = {e for e in entries if _LISTED_FORM.fullmatch(e) and e not in LISTED_EVERYDAY}
    words = frozenset(e for e in kept if " " not in e)
    return words, tuple(sorted(e for e in kept if " " in e))


def insult_words() -> frozenset[str]:
    """Every single word that insults or slurs: the project's lists (with their plural and feminine forms) and
    the public lists; `normalize.reveal` reads a masked word (« p*te ») as the one it fits."""
    plain = split_entries(INSULTS)[0] | split_entries(DISCRIMINATION)[0]
    return plain | listed_bad_words()[0]
