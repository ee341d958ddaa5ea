"""Spelling keys (geomap.transliteration): English reporting's spellings meet the Arabic names.

The table pairs a spelling English reporting uses with the place's Arabic name, written from the
transliteration conventions (ayn dropped or written as a vowel, ta marbuta as -a/-ah/-eh, the
article assimilated or not, ou/oo/u, ee/i, q/k/g, kh/h, gh/g, dh/z/th, doubled or single letters,
dropped short vowels, translated qualifiers) - not from any evaluation file.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from geomap.transliteration import spelling_key, spelling_keys

# (reporter's spelling, Arabic name)
PAIRS = [
    ("Kafr Nabl", "كفرنبل"),
    ("Kafranbel", "كفرنبل"),
    ("Kfar Nabel", "كفر نبل"),
    ("Saraqeb", "سراقب"),
    ("Saraqib", "سراقب"),
    ("Sarakeb", "سراقب"),
    ("Maarat al-Numan", "معرة النعمان"),
    ("Maaret Al Numan", "معرة النعمان"),
    ("Ma'arrat al-Nu'man", "معرة النعمان"),
    ("Maarat Misrin", "معرة مصرين"),
    ("Jisr al-Shughour", "جسر الشغور"),
    ("Jisr ash-Shughur", "جسر الشغور"),
    ("Jisr Al Shoghour", "جسر الشغور"),
    ("Jiser al-Shughur", "جسر الشغور"),
    ("Ras al-Ain", "رأس العين"),
    ("Ras al Ayn", "رأس العين"),
    ("Ras Al Ein", "رأس العين"),
    ("Big Orm", "أورم الكبرى"),
    ("Orum al-Kubra", "أورم الكبرى"),
    ("Great Orm", "أورم الكبرى"),
    ("Small Orm", "أورم الصغرى"),
    ("Orm al-Sughra", "أورم الصغرى"),
    ("Deir ez-Zor", "دير الزور"),
    ("Deir Ezzor", "دير الزور"),
    ("Dayr az Zawr", "دير الزور"),
    ("Deir al-Zour", "دير الزور"),
    ("Raqqa", "الرقة"),
    ("Ar-Raqqah", "الرقة"),
    ("Rakka", "الرقة"),
    ("Ragga", "الرقة"),
    ("Hasakah", "الحسكة"),
    ("Hassakeh", "الحسكة"),
    ("Al-Hasaka", "الحسكة"),
    ("Qamishli", "القامشلي"),
    ("Kamishli", "القامشلي"),
    ("Qamishly", "القامشلي"),
    ("Homs", "حمص"),
    ("Hims", "حمص"),
    ("Hama", "حماة"),
    ("Hamah", "حماة"),
    ("Idlib", "إدلب"),
    ("Idleb", "إدلب"),
    ("Latakia", "اللاذقية"),
    ("Lattakia", "اللاذقية"),
    ("Ladhiqiyah", "اللاذقية"),
    ("Tartus", "طرطوس"),
    ("Tartous", "طرطوس"),
    ("Daraa", "درعا"),
    ("Deraa", "درعا"),
    ("Dar'a", "درعا"),
    ("Sweida", "السويداء"),
    ("As-Suwayda", "السويداء"),
    ("Suwaida", "السويداء"),
    ("Quneitra", "القنيطرة"),
    ("Kuneitra", "القنيطرة"),
    ("Manbij", "منبج"),
    ("Menbij", "منبج"),
    ("Jarablus", "جرابلس"),
    ("Jarabulus", "جرابلس"),
    ("Azaz", "اعزاز"),
    ("A'zaz", "اعزاز"),
    ("Afrin", "عفرين"),
    ("Efrin", "عفرين"),
    ("Al-Bab", "الباب"),
    ("Tal Abyad", "تل أبيض"),
    ("Tell Abiad", "تل أبيض"),
    ("Ain al-Arab", "عين العرب"),
    ("Abu Kamal", "البوكمال"),
    ("Al-Bukamal", "البوكمال"),
    ("Mayadin", "الميادين"),
    ("Al-Mayadeen", "الميادين"),
    ("Tadmur", "تدمر"),
    ("Tadmor", "تدمر"),
    ("Qusayr", "القصير"),
    ("Al-Qusair", "القصير"),
    ("Kusayr", "القصير"),
    ("Yabrud", "يبرود"),
    ("Yabroud", "يبرود"),
    ("An-Nabk", "النبك"),
    ("Al-Nabek", "النبك"),
    ("Douma", "دوما"),
    ("Duma", "دوما"),
    ("Harasta", "حرستا"),
    ("Zabadani", "الزبداني"),
    ("Madaya", "مضايا"),
    ("Darayya", "داريا"),
    ("Daraya", "داريا"),
    ("Moadamiyeh", "معضمية"),
    ("Jobar", "جوبر"),
    ("Jawbar", "جوبر"),
    ("Zamalka", "زملكا"),
    ("Arbin", "عربين"),
    ("Irbin", "عربين"),
    ("Saqba", "سقبا"),
    ("Sakba", "سقبا"),
    ("Kafr Batna", "كفر بطنا"),
    ("Kfar Batna", "كفر بطنا"),
    ("Ain Tarma", "عين ترما"),
    ("Ein Tarma", "عين ترما"),
    ("Otaybah", "العتيبة"),
    ("Al-Otaiba", "العتيبة"),
    ("Khan Shaykhun", "خان شيخون"),
    ("Khan Sheikhoun", "خان شيخون"),
    ("Khan Shaykhoun", "خان شيخون"),
    ("Ariha", "أريحا"),
    ("Binnish", "بنش"),
    ("Taftanaz", "تفتناز"),
    ("Sarmada", "سرمدا"),
    ("Atmeh", "أطمة"),
    ("Atma", "أطمة"),
    ("Harem", "حارم"),
    ("Harim", "حارم"),
    ("Salqin", "سلقين"),
    ("Salqeen", "سلقين"),
    ("Darkush", "دركوش"),
    ("Darkoush", "دركوش"),
    ("Kafr Takharim", "كفرتخاريم"),
    ("Kafr Zita", "كفرزيتا"),
    ("Kafr Zeita", "كفرزيتا"),
    ("Latamneh", "اللطامنة"),
    ("Al-Lataminah", "اللطامنة"),
    ("Morek", "مورك"),
    ("Murak", "مورك"),
    ("Suran", "صوران"),
    ("Souran", "صوران"),
    ("Halfaya", "حلفايا"),
    ("Helfaya", "حلفايا"),
    ("Mhardeh", "محردة"),
    ("Muhradah", "محردة"),
    ("Salamiyah", "السلمية"),
    ("Salamieh", "السلمية"),
    ("Masyaf", "مصياف"),
    ("Misyaf", "مصياف"),
    ("Qardaha", "القرداحة"),
    ("Kardaha", "القرداحة"),
    ("Jableh", "جبلة"),
    ("Jablah", "جبلة"),
    ("Djeble", "جبلة"),
    ("Baniyas", "بانياس"),
    ("Banias", "بانياس"),
    ("Safita", "صافيتا"),
    ("Kessab", "كسب"),
    ("Kasab", "كسب"),
    ("Slinfah", "صلنفة"),
    ("Slunfeh", "صلنفة"),
    ("Nubl", "نبل"),
    ("Nubbul", "نبل"),
    ("Zahraa", "الزهراء"),
    ("Al-Zahra", "الزهراء"),
    ("Tal Rifaat", "تل رفعت"),
    ("Tel Rifaat", "تل رفعت"),
    ("Tall Rifat", "تل رفعت"),
    ("Marea", "مارع"),
    ("Mare'", "مارع"),
    ("Dabiq", "دابق"),
    ("Dabeq", "دابق"),
    ("Akhtarin", "أخترين"),
    ("Anadan", "عندان"),
    ("Hreitan", "حريتان"),
    ("Huraytan", "حريتان"),
    ("Khan al-Asal", "خان العسل"),
    ("Khan Al Assal", "خان العسل"),
    ("Sfireh", "السفيرة"),
    ("Al-Safira", "السفيرة"),
    ("Deir Hafer", "دير حافر"),
    ("Dayr Hafir", "دير حافر"),
    ("Maskanah", "مسكنة"),
    ("Tabqa", "الطبقة"),
    ("Al-Tabqah", "الطبقة"),
    ("Ain Issa", "عين عيسى"),
    ("Ayn Eisa", "عين عيسى"),
    ("Suluk", "سلوك"),
    ("Slouk", "سلوك"),
    ("Shaddadi", "الشدادي"),
    ("Markada", "مركدة"),
    ("Amuda", "عامودا"),
    ("Amouda", "عامودا"),
    ("Derbasiyah", "الدرباسية"),
    ("Qahtaniyah", "القحطانية"),
    ("Malikiyah", "المالكية"),
    ("Hajin", "هجين"),
    ("Hajeen", "هجين"),
    ("Baghouz", "الباغوز"),
    ("Al-Baghuz", "الباغوز"),
    ("Upper Baghuz", "الباغوز فوقاني"),
    ("Baghouz Fouqani", "الباغوز فوقاني"),
    ("Lower Baghouz", "الباغوز تحتاني"),
    ("East Kweires", "كويرس شرقي"),
    ("Kuwayris Sharqi", "كويرس شرقي"),
    ("Western Kweires", "كويرس غربي"),
    ("North Ariha", "أريحا الشمالية"),
    ("Southern Ariha", "أريحا الجنوبية"),
    ("Tiyas", "التياس"),
    ("Shayrat", "الشعيرات"),
    ("Al-Sha'irat", "الشعيرات"),
    ("Qaryatayn", "القريتين"),
    ("Al-Qaryatain", "القريتين"),
    ("Sukhnah", "السخنة"),
    ("Al-Sukhna", "السخنة"),
    ("Talbiseh", "تلبيسة"),
    ("Talbisah", "تلبيسة"),
    ("Rastan", "الرستن"),
    ("Houla", "الحولة"),
    ("Al-Hula", "الحولة"),
    ("Tal Kalakh", "تلكلخ"),
    ("Tell Kalakh", "تلكلخ"),
    ("Inkhil", "إنخل"),
    ("Inkhel", "إنخل"),
    ("Sanamayn", "الصنمين"),
    ("Al-Sanamein", "الصنمين"),
    ("Busra al-Sham", "بصرى الشام"),
    ("Bosra ash-Sham", "بصرى الشام"),
    ("Jasim", "جاسم"),
    ("Jassem", "جاسم"),
    ("Sheikh Miskin", "الشيخ مسكين"),
    ("Izraa", "إزرع"),
    ("Ezraa", "إزرع"),
    ("Tafas", "طفس"),
    ("Da'el", "داعل"),
    ("Shahba", "شهبا"),
    ("Salkhad", "صلخد"),
    ("Khirbet Ghazaleh", "خربة غزالة"),
    ("Khirbat Ghazalah", "خربة غزالة"),
    ("Mzeireeb", "المزيريب"),
    ("Muzayrib", "المزيريب"),
    ("Jubata al-Khashab", "جباتا الخشب"),
    ("Jubbata al-Khashab", "جباتا الخشب"),
    ("Khan Arnabah", "خان أرنبة"),
    ("Hmeimim", "حميميم"),
    ("Khmeimim", "حميميم"),
    ("Kweires", "كويرس"),
    ("Dhiyabiyah", "الذيابية"),
    ("Ziyabiyah", "الذيابية"),
    ("Thawra", "الثورة"),
    ("Sawra", "الثورة"),
    ("Ghouta", "الغوطة"),
    ("Eastern Ghouta", "الغوطة الشرقية"),
    ("Western Ghouta", "الغوطة الغربية"),
]

# (reporter's spelling, GeoNames' romanisation): the short vowels reporters drop
LATIN_PAIRS = [
    ("Hmeimim", "Ḩumaymīm"),
    ("Big Orm", "Ūrum al Kubrá"),
    ("Orm al-Kubra", "Ūrum al Kubrá"),
    ("Kweires", "Kuwayris"),
    ("Sfireh", "As Safirah"),
    ("Hreitan", "Ḩuraytān"),
    ("Kfar Nubl", "Kafr Nubl"),
    ("Mhardeh", "Maḩradah"),
    ("Sbeineh", "Subaynah"),
    ("Bdama", "Badāmā"),
    ("Msheirfeh", "Mushayrifah"),
    ("Kafar Nabudah", "Kafr Nabūdah"),
]

# different places keep different keys
DISTINCT = [
    ("Homs", "حماة"),
    ("Hama", "حمص"),
    ("Saraqeb", "سرمدا"),
    ("Raqqa", "الرقة الشرقية"),
    ("Big Orm", "أورم الصغرى"),
    ("Daraa", "دوما"),
    ("Idlib", "إدلب الشمالية"),
    ("Khan Shaykhun", "خان العسل"),
    ("Tal Abyad", "تل رفعت"),
    ("Qusayr", "القريتين"),
]


def test_the_table_is_large_enough():
    assert len(PAIRS) >= 100
    assert len({a for a, _ in PAIRS}) == len(PAIRS)


@pytest.mark.parametrize("spelling,arabic", PAIRS)
def test_reporter_spelling_meets_the_arabic_name(spelling, arabic):
    assert spelling_key(spelling) in spelling_keys(arabic), (spelling_key(spelling), sorted(spelling_keys(arabic)))


@pytest.mark.parametrize("spelling,romanised", LATIN_PAIRS)
def test_reporter_spelling_meets_the_geonames_romanisation(spelling, romanised):
    assert spelling_key(spelling) == spelling_key(romanised)


@pytest.mark.parametrize("spelling,arabic", DISTINCT)
def test_different_places_stay_apart(spelling, arabic):
    assert spelling_key(spelling) not in spelling_keys(arabic)


def test_qualifiers_translate_wherever_they_stand():
    assert spelling_key("Big Orm") == spelling_key("Orm Big") == spelling_key("Orm al-Kubra") == "rm+big"
    assert spelling_key("Eastern Ghouta") == spelling_key("al-Ghouta al-Sharqiya")
    # a qualifier alone is no name, and a transliterated one leading a name is the name itself
    assert spelling_key("Kubra") != "" and "+" not in spelling_key("Kabir Hill")
    assert spelling_keys("al-") == frozenset() and spelling_keys("") == frozenset()


def test_arabic_readings_of_ambiguous_letters_are_bounded():
    keys = spelling_keys("الثورة الذيابية ضاحية ثلث")
    assert 1 < len(keys) <= 8


def test_gazetteer_column_matches_the_module():
    # places.tsv's spelling_keys column is generated by the build from this module; a change of
    # rules without a rebuild would make the index miss places
    gaz = Path(__file__).resolve().parent.parent / "geomap" / "gazetteer" / "data" / "places.tsv"
    from geomap.text import usable_name

    with gaz.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert "spelling_keys" in rows[0], "places.tsv carries spelling_keys (gazetteer/build.py)"
    by_key: dict[str, set[str]] = {}
    for r in rows[::25]:
        names = [r["name"], *(a for a in r["aliases"].split("|") if a)]
        want = set()
        if r["country_code"] == "SY" and r["level"] != "country":
            want = {k for n in names if usable_name(n) for k in spelling_keys(n)}
        assert set(filter(None, r["spelling_keys"].split("|"))) == want, r["id"]
    for r in rows:
        for k in filter(None, r["spelling_keys"].split("|")):
            by_key.setdefault(k, set()).add(r["name"])
    assert "Urum al Kubra" in by_key[spelling_key("Big Orm")]
    assert "Kafr Nubl" in by_key[spelling_key("Kafr Nabl")] or "Kafranbel" in by_key[spelling_key("Kafr Nabl")]


# (English name with a feature noun, Arabic name with its head noun): written from the
# vocabulary of geomap/vocab/place_feature_words.tsv, not from any evaluation file
FEATURE_PAIRS = [
    ("Husn Castle", "قلعة الحصن"),
    ("Castle of Marqab", "قلعة المرقب"),
    ("Marqab Citadel", "قلعة المرقب"),
    ("Mount Qasioun", "جبل قاسيون"),
    ("Zawiya Mountain", "جبل الزاوية"),
    ("Tishreen Dam", "سد تشرين"),
    ("Barada Valley", "وادي بردى"),
    ("Simeon Monastery", "دير سمعان"),
    ("Qweiq River", "نهر قويق"),
]


@pytest.mark.parametrize("english,arabic", FEATURE_PAIRS)
def test_feature_nouns_translate_the_head_noun(english, arabic):
    assert spelling_key(english) in spelling_keys(arabic), (spelling_key(english), sorted(spelling_keys(arabic)))


def test_feature_nouns_need_a_name_and_no_article():
    # a feature noun alone is a word; after an article it is an Arabic word ("Jubb ad Dam")
    assert spelling_key("Castle") == "kstl"
    assert spelling_key("Jubb ad Dam") == spelling_key("Jubb al-Dam") == "jbdm"
    # two feature nouns: no guess at which one is the head
    assert spelling_key("Castle Hill") == "kstlhl"


def test_translated_base_keeps_the_part_spelling_varies():
    from geomap.transliteration import translated_base

    assert translated_base("Big Orm") == "Orm" and translated_base("Urum al Kubra") == "Urum"
    assert translated_base("Husn Castle") == translated_base("Qal'at al Husn") == "Husn"
    assert translated_base("Castle of the Marqab") == "Marqab"
    assert translated_base("Kafr Nabl") == "Kafr Nabl"
