# ruff: noqa: RUF001 (Cyrillic, Turkish and Urdu letters and marks that look Latin)
"""News pages in many languages for the extraction's language tests: one story per language
(a headline and its paragraphs: a city council's vote on rebuilding its harbour bridge) and
the page a news site's CMS writes around it."""

from __future__ import annotations

STORIES: dict[str, tuple[str, list[str]]] = {
    "de": (
        "Stadtrat beschließt Neubau der Hafenbrücke",
        [
            "Der Stadtrat hat am Dienstag den Neubau der alten Hafenbrücke beschlossen und "
            "damit einen Streit beendet, der die Bewohner fast zehn Jahre lang entzweit hatte.",
            "Ingenieure hatten im vergangenen Frühjahr gewarnt, dass die Stahlträger schneller "
            "rosten als erwartet und schwere Lastwagen bald umgeleitet werden müssten.",
            "Nach dem mit knapper Mehrheit gebilligten Plan beginnen die Arbeiten im März, die "
            "Brücke bleibt achtzehn Monate gesperrt, während eine Fähre den Verkehr übernimmt.",
            "Ladenbesitzer am Ufer fürchten, während der Sperrung Kunden zu verlieren, doch der "
            "Bürgermeister versprach einen Fonds für Betriebe, die Einbußen nachweisen können.",
            "Gegner des Vorhabens hielten einen Tunnel auf lange Sicht für billiger, was die "
            "Gutachter der Stadt in ihrem Abschlussbericht jedoch zurückgewiesen haben.",
            "Das Land übernimmt etwa die Hälfte der Kosten, der Rest stammt aus einer Anleihe, "
            "der die Wähler im Herbst in einem Volksentscheid zugestimmt hatten.",
        ],
    ),
    "fr": (
        "Le conseil municipal vote la reconstruction du pont du port",
        [
            "Le conseil municipal a voté mardi la reconstruction du vieux pont du port, mettant "
            "fin à un différend qui divisait les habitants depuis près de dix ans.",
            "Les ingénieurs avaient averti au printemps dernier que les piliers en acier "
            "rouillaient plus vite que prévu et que les poids lourds devraient être déviés.",
            "Selon le plan adopté à une courte majorité, les travaux commenceront en mars et le "
            "pont sera fermé dix-huit mois, le temps qu'un service de bac prenne le relais.",
            "Les commerçants du front de mer craignent de perdre des clients pendant la "
            "fermeture, mais le maire a promis un fonds pour les entreprises touchées.",
            "Les opposants au projet estimaient qu'un tunnel aurait coûté moins cher à "
            "entretenir, ce que les experts de la ville ont contesté dans leur rapport final.",
            "La région paiera environ la moitié du coût, le reste provenant d'un emprunt que "
            "les électeurs ont approuvé lors d'un référendum organisé à l'automne.",
        ],
    ),
    "es": (
        "El ayuntamiento aprueba la reconstrucción del puente del puerto",
        [
            "El ayuntamiento aprobó el martes la reconstrucción del viejo puente del puerto, "
            "poniendo fin a una disputa que dividía a los vecinos desde hacía casi una década.",
            "Los ingenieros habían advertido la pasada primavera de que los soportes de acero "
            "se oxidaban más rápido de lo previsto y que los camiones tendrían que desviarse.",
            "Según el plan aprobado por una estrecha mayoría, las obras empezarán en marzo y el "
            "puente cerrará dieciocho meses mientras funciona un servicio de transbordador.",
            "Los comerciantes del paseo marítimo temen perder clientes durante el cierre, pero "
            "el alcalde prometió un fondo para compensar a los negocios que demuestren pérdidas.",
            "Los opositores al proyecto defendían que un túnel habría sido más barato de "
            "mantener, algo que los consultores municipales rechazaron en su informe final.",
            "El gobierno regional pagará aproximadamente la mitad del coste y el resto saldrá "
            "de una emisión de bonos que los votantes respaldaron en un referéndum en otoño.",
        ],
    ),
    "nl": (
        "Gemeenteraad stemt in met herbouw van de havenbrug",
        [
            "De gemeenteraad heeft dinsdag ingestemd met de herbouw van de oude havenbrug en "
            "daarmee een einde gemaakt aan een ruzie die de inwoners bijna tien jaar verdeelde.",
            "Ingenieurs waarschuwden vorig voorjaar dat de stalen pijlers sneller roestten dan "
            "verwacht en dat vrachtwagens binnenkort moesten worden omgeleid.",
            "Volgens het plan, dat met een krappe meerderheid werd aangenomen, beginnen de "
            "werkzaamheden in maart en blijft de brug achttien maanden dicht.",
        ],
    ),
    "pl": (
        "Rada miasta zatwierdza odbudowę mostu portowego",
        [
            "Rada miasta zatwierdziła we wtorek odbudowę starego mostu portowego, kończąc spór, "
            "który od prawie dziesięciu lat dzielił mieszkańców.",
            "Inżynierowie ostrzegali zeszłej wiosny, że stalowe filary rdzewieją szybciej, niż "
            "zakładano, i że ciężarówki wkrótce trzeba będzie skierować na objazdy.",
            "Zgodnie z planem przyjętym niewielką większością głosów prace ruszą w marcu, a most "
            "będzie zamknięty przez osiemnaście miesięcy, gdy kursować będzie prom.",
        ],
    ),
    "cs": (
        "Zastupitelstvo schválilo přestavbu přístavního mostu",
        [
            "Městské zastupitelstvo v úterý schválilo přestavbu starého přístavního mostu a "
            "ukončilo tak spor, který obyvatele rozděloval téměř deset let.",
            "Inženýři loni na jaře varovali, že ocelové pilíře rezaví rychleji, než se čekalo, "
            "a že nákladní auta bude brzy nutné odklonit.",
            "Podle plánu schváleného těsnou většinou začnou práce v březnu a most zůstane "
            "osmnáct měsíců uzavřen, dopravu mezitím převezme přívoz.",
        ],
    ),
    "it": (
        "Il consiglio comunale approva la ricostruzione del ponte del porto",
        [
            "Il consiglio comunale ha approvato martedì la ricostruzione del vecchio ponte del "
            "porto, chiudendo una disputa che divideva i residenti da quasi dieci anni.",
            "Gli ingegneri avevano avvertito la scorsa primavera che i piloni d'acciaio si "
            "stavano arrugginendo più in fretta del previsto e che i camion andavano deviati.",
            "Secondo il piano approvato con una maggioranza risicata, i lavori inizieranno a "
            "marzo e il ponte resterà chiuso per diciotto mesi.",
        ],
    ),
    "sv": (
        "Kommunen bygger om den gamla hamnbron",
        [
            "Kommunfullmäktige beslutade på tisdagen att bygga om den gamla hamnbron och "
            "avslutade därmed en strid som splittrat invånarna i nästan tio år.",
            "Ingenjörer varnade i våras för att stålpelarna rostade snabbare än väntat och att "
            "tunga lastbilar snart skulle behöva ledas om.",
            "Enligt planen, som antogs med knapp majoritet, börjar arbetet i mars och bron "
            "hålls stängd i arton månader medan en färja tar över trafiken.",
        ],
    ),
    "da": (
        "Byrådet vil genopbygge den gamle havnebro",
        [
            "Byrådet besluttede tirsdag at genopbygge den gamle havnebro og satte dermed punktum "
            "for en strid, der har splittet borgerne i næsten ti år.",
            "Ingeniører advarede sidste forår om, at stålpillerne rustede hurtigere end ventet, "
            "og at tunge lastbiler snart måtte omdirigeres.",
            "Ifølge planen, der blev vedtaget med et snævert flertal, går arbejdet i gang i "
            "marts, og broen holdes lukket i atten måneder.",
        ],
    ),
    "no": (
        "Bystyret vil bygge opp igjen den gamle havnebrua",
        [
            "Bystyret vedtok tirsdag å bygge opp igjen den gamle havnebrua og satte dermed "
            "sluttstrek for en strid som har splittet innbyggerne i nesten ti år.",
            "Ingeniører advarte i fjor vår om at stålpilarene rustet raskere enn ventet, og at "
            "tunge lastebiler snart måtte ledes om.",
            "Etter planen, som ble vedtatt med knapt flertall, starter arbeidet i mars, og brua "
            "blir stengt i atten måneder mens en ferje tar over trafikken.",
        ],
    ),
    "tr": (
        "Belediye meclisi liman köprüsünün yeniden inşasını onayladı",
        [
            "Belediye meclisi salı günü eski liman köprüsünün yeniden inşasını onayladı ve "
            "sakinleri yaklaşık on yıldır bölen tartışmayı sona erdirdi.",
            "Mühendisler geçen bahar çelik ayakların beklenenden hızlı paslandığı ve ağır "
            "kamyonların yakında başka yollara yönlendirilmesi gerekeceği konusunda uyarmıştı.",
            "Küçük bir çoğunlukla kabul edilen plana göre çalışmalar martta başlayacak ve köprü "
            "on sekiz ay boyunca kapalı kalacak.",
        ],
    ),
    "uk": (
        "Міськрада схвалила реконструкцію портового мосту",
        [
            "Міська рада у вівторок схвалила реконструкцію старого портового мосту, поклавши "
            "край суперечці, яка майже десять років розділяла мешканців.",
            "Інженери ще минулої весни попереджали, що сталеві опори іржавіють швидше, ніж "
            "очікувалося, і що вантажівки незабаром доведеться пустити в об'їзд.",
            "Згідно з планом, ухваленим незначною більшістю, роботи почнуться в березні, а міст "
            "буде закрито на вісімнадцять місяців.",
        ],
    ),
    "hi": (
        "पुराने बंदरगाह पुल के पुनर्निर्माण को मंजूरी",
        [
            "नगर निगम ने मंगलवार को पुराने बंदरगाह पुल के पुनर्निर्माण को मंजूरी दे दी, जिससे "
            "लगभग दस साल से चल रहा विवाद खत्म हो गया जिसने शहर के लोगों को बांट दिया था।",
            "इंजीनियरों ने पिछले साल चेतावनी दी थी कि पुल के लोहे के खंभे उम्मीद से ज्यादा तेजी "
            "से जंग खा रहे हैं और भारी ट्रकों को जल्द ही दूसरे रास्ते से भेजना पड़ेगा।",
            "कम बहुमत से पास हुई योजना के अनुसार काम मार्च में शुरू होगा और पुल अठारह महीने तक "
            "बंद रहेगा, इस दौरान एक नौका सेवा यात्रियों को नदी पार कराएगी।",
        ],
    ),
    "bn": (
        "পুরনো বন্দর সেতুর পুনর্নির্মাণ অনুমোদন",
        [
            "পৌরসভা মঙ্গলবার পুরনো বন্দর সেতুর পুনর্নির্মাণ অনুমোদন করেছে, যার ফলে প্রায় দশ বছর "
            "ধরে শহরের মানুষকে বিভক্ত করে রাখা একটি বিতর্কের অবসান হলো।",
            "প্রকৌশলীরা গত বছর সতর্ক করেছিলেন যে সেতুর লোহার খুঁটিগুলো প্রত্যাশার চেয়ে দ্রুত মরিচা "
            "ধরছে এবং ভারী ট্রাকগুলোকে শিগগিরই অন্য পথে পাঠাতে হবে।",
            "অনুমোদিত পরিকল্পনা অনুযায়ী মার্চ মাসে কাজ শুরু হবে এবং সেতুটি আঠারো মাস বন্ধ থাকবে, "
            "এই সময়ে একটি ফেরি সেবা যাত্রীদের নদী পার করাবে।",
        ],
    ),
    "ta": (
        "பழைய துறைமுகப் பாலம் மீண்டும் கட்டப்படும்",
        [
            "மாநகராட்சி செவ்வாய்க்கிழமை பழைய துறைமுகப் பாலத்தை மீண்டும் கட்டுவதற்கு ஒப்புதல் "
            "அளித்தது, இதனால் சுமார் பத்து ஆண்டுகளாக நகர மக்களைப் பிரித்து வைத்திருந்த சர்ச்சை "
            "முடிவுக்கு வந்தது.",
            "பாலத்தின் இரும்புத் தூண்கள் எதிர்பார்த்ததை விட வேகமாக துருப்பிடித்து வருவதாகவும் "
            "கனரக லாரிகள் விரைவில் வேறு பாதையில் திருப்பி விடப்பட வேண்டும் என்றும் பொறியாளர்கள் "
            "கடந்த ஆண்டு எச்சரித்திருந்தனர்.",
        ],
    ),
    "ur": (
        "پرانے بندرگاہ پل کی دوبارہ تعمیر منظور",
        [
            "بلدیہ نے منگل کے روز پرانے بندرگاہ پل کی دوبارہ تعمیر کی منظوری دے دی، جس سے "
            "تقریباً دس سال سے شہریوں کو تقسیم کرنے والا تنازع ختم ہو گیا۔",
            "انجینئروں نے گزشتہ سال خبردار کیا تھا کہ پل کے لوہے کے ستون توقع سے زیادہ تیزی سے "
            "زنگ آلود ہو رہے ہیں اور بھاری ٹرکوں کو جلد دوسرے راستے پر بھیجنا پڑے گا۔",
        ],
    ),
    "fa": (
        "بازسازی پل قدیمی بندر تصویب شد",
        [
            "شورای شهر روز گذشته بازسازی پل قدیمی بندر را تصویب کرد و به اختلافی پایان داد که "
            "نزدیک به ده سال ساکنان شهر را از هم جدا کرده بود.",
            "مهندسان سال گذشته هشدار داده بودند که ستون های فلزی پل سریع تر از انتظار زنگ "
            "می زنند و کامیون های سنگین به زودی باید از مسیر دیگری عبور کنند.",
        ],
    ),
    "th": (
        "สภาเทศบาลไฟเขียวสร้างสะพานท่าเรือเก่าใหม่",
        [
            "สภาเทศบาลมีมติเมื่อวันอังคารให้สร้างสะพานท่าเรือเก่าขึ้นใหม่ ยุติข้อพิพาทที่ทำให้ชาวเมืองแตกแยกกันมาเกือบสิบปี",
            "วิศวกรเตือนเมื่อปีที่แล้วว่าเสาเหล็กของสะพานเป็นสนิมเร็วกว่าที่คาดไว้ "
            "และรถบรรทุกหนักจะต้องเปลี่ยนเส้นทางในไม่ช้า",
            "ตามแผนที่ผ่านความเห็นชอบด้วยเสียงข้างมากเพียงเล็กน้อย งานจะเริ่มในเดือนมีนาคม "
            "และสะพานจะปิดเป็นเวลาสิบแปดเดือน ระหว่างนั้นจะมีเรือข้ามฟากให้บริการแทน",
        ],
    ),
    "id": (
        "Dewan Kota Setujui Pembangunan Ulang Jembatan Pelabuhan",
        [
            "Dewan kota pada Selasa menyetujui pembangunan kembali jembatan pelabuhan lama, "
            "mengakhiri perselisihan yang hampir sepuluh tahun memecah belah warga.",
            "Para insinyur memperingatkan tahun lalu bahwa tiang baja jembatan berkarat lebih "
            "cepat dari perkiraan dan truk berat akan segera dialihkan ke jalur lain.",
            "Menurut rencana yang disetujui dengan selisih suara tipis, pekerjaan dimulai pada "
            "Maret dan jembatan ditutup selama delapan belas bulan.",
        ],
    ),
    "vi": (
        "Thông qua việc xây dựng lại cầu cảng cũ",
        [
            "Hội đồng thành phố hôm thứ Ba đã thông qua việc xây dựng lại cây cầu cảng cũ, chấm "
            "dứt tranh cãi kéo dài gần mười năm khiến người dân chia rẽ.",
            "Các kỹ sư đã cảnh báo hồi mùa xuân năm ngoái rằng các trụ thép của cầu bị gỉ nhanh "
            "hơn dự kiến và xe tải nặng sẽ sớm phải đi đường vòng.",
            "Theo kế hoạch được thông qua với đa số sít sao, công trình sẽ khởi công vào tháng Ba "
            "và cây cầu sẽ đóng cửa mười tám tháng.",
        ],
    ),
    "sw": (
        "Baraza laidhinisha ujenzi upya wa daraja la bandari",
        [
            "Baraza la jiji siku ya Jumanne liliidhinisha ujenzi upya wa daraja la zamani la "
            "bandari, na kumaliza mzozo uliowagawa wakazi kwa karibu miaka kumi.",
            "Wahandisi walionya mwaka jana kwamba nguzo za chuma za daraja hilo zinashika kutu "
            "haraka kuliko ilivyotarajiwa na malori mazito yatalazimika kutumia njia nyingine.",
        ],
    ),
    "tl": (
        "Muling itatayo ang lumang tulay sa pantalan",
        [
            "Inaprubahan ng konseho ng lungsod noong Martes ang muling pagtatayo ng lumang tulay "
            "sa pantalan, na nagtapos sa alitang halos sampung taong naghati sa mga residente.",
            "Nagbabala ang mga inhinyero noong nakaraang taon na mas mabilis kinakalawang ang mga "
            "bakal na haligi ng tulay kaysa inaasahan at kailangang ilihis ang mabibigat na trak.",
        ],
    ),
}
STORIES["mr"] = STORIES["ne"] = STORIES["hi"]  # Devanagari pages: the labels are what is read


def news_page(
    lang: str, header: str, *, teaser: str = "", closing: str = "", site: str = "Stadtanzeiger"
) -> str:
    """A news site's story page as the press's CMSs write it: a title with the site's name,
    a navigation, the headline, the byline and date lines in elements of their own
    (``header``), the story (``teaser`` after its second paragraph, ``closing`` after its
    last), a footer; og:type article, no JSON-LD and no author meta tag."""
    headline, story = STORIES[lang]
    paragraphs = [f"<p>{p}</p>" for p in story]
    paragraphs.insert(2, teaser)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{headline} | {site}</title>"
        '<meta property="og:type" content="article"></head><body>'
        '<header><nav><a href="/">Start</a> <a href="/politik/">Politik</a></nav></header>'
        f'<main><article><h1>{headline}</h1><div class="article-meta">{header}</div>'
        f'<div class="article-body">{"".join(paragraphs)}{closing}</div></article></main>'
        "<footer><p>Impressum</p><p>Datenschutz</p></footer></body></html>"
    )
