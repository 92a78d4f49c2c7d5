"""Spanish word lists (folded forms are written without accents where matched folded)."""

from __future__ import annotations

from xentri.ai.offline.lexicon import Lexicon, words

# feminine and plural forms map to the dictionary form
_TONE_PAIRS = (
    "amable:amable amables:amable cercano:cercano cercana:cercano cercanos:cercano "
    "divertido:divertido divertida:divertido profesional:profesional profesionales:profesional "
    "calido:cálido calida:cálido elegante:elegante juvenil:juvenil serio:serio seria:serio "
    "relajado:relajado relajada:relajado moderno:moderno moderna:moderno autentico:auténtico "
    "autentica:auténtico familiar:familiar confiable:confiable alegre:alegre "
    "fresco:fresco fresca:fresco sencillo:sencillo sencilla:sencillo honesto:honesto "
    "honesta:honesto humilde:humilde tranquilo:tranquilo tranquila:tranquilo "
    "sofisticado:sofisticado sofisticada:sofisticado minimalista:minimalista "
    "creativo:creativo creativa:creativo atrevido:atrevido atrevida:atrevido "
    "innovador:innovador innovadora:innovador calido:cálido acogedor:acogedor "
    "acogedora:acogedor respetuoso:respetuoso respetuosa:respetuoso formal:formal "
    "informal:informal rustico:rústico rustica:rústico tradicional:tradicional "
    "artesanal:artesanal natural:natural optimista:optimista positivo:positivo "
    "positiva:positivo empatico:empático empatica:empático experto:experto experta:experto "
    "claro:claro clara:claro directo:directo directa:directo elegantes:elegante "
    "inspirador:inspirador inspiradora:inspirador energico:enérgico energica:enérgico "
    "lujoso:lujoso lujosa:lujoso calidos:cálido cercanas:cercano divertidos:divertido "
    "dulce:dulce sereno:sereno serena:sereno transparente:transparente"
)
_UNITS = {
    "hora": "hour", "horas": "hour", "hr": "hour", "h": "hour", "dia": "day", "diario": "day",
    "noche": "night", "semana": "week", "semanal": "week", "mes": "month", "mensual": "month",
    "mensuales": "month", "ano": "year", "anual": "year", "sesion": "session",
    "sesiones": "session", "clase": "class", "clases": "class", "persona": "person",
    "cabeza": "person", "pieza": "item", "unidad": "item", "cada": "item", "cada uno": "item",
    "taza": "cup", "kilo": "kg", "kg": "kg", "docena": "dozen", "visita": "visit",
    "proyecto": "project", "pagina": "page", "trabajo": "job", "servicio": "job",
    "caja": "item", "bolsa": "item", "pedido": "order", "paquete": "item", "pastel": "item",
    "corte": "item", "consulta": "session", "plato": "item", "boleto": "item",
    "entrada": "item", "pan": "item", "orden": "item", "m2": "m2", "metro": "m2",
}  # fmt: skip
_METRICS = {
    "ventas": "revenue", "ingresos": "revenue", "facturacion": "revenue", "factura": "revenue",
    "facturar": "revenue", "vender": "revenue", "ganancias": "profit", "utilidades": "profit",
    "clientes": "customers", "clientas": "customers", "cliente": "customers",
    "miembros": "members", "socios": "members", "suscriptores": "subscribers",
    "alumnos": "students", "alumnas": "students", "estudiantes": "students",
    "seguidores": "followers", "empleados": "employees", "personas": "employees",
    "sucursal": "locations", "oficina": "locations", "oficinas": "locations",
    "sucursales": "locations", "local": "locations",
    "locales": "locations", "tienda": "locations", "tiendas": "locations",
    "franquicia": "locations", "franquicias": "locations", "pedidos": "orders",
    "ordenes": "orders", "reservas": "bookings", "reservaciones": "bookings",
    "citas": "bookings", "proyectos": "projects", "resenas": "reviews", "pacientes": "customers",
    "contratos": "projects", "eventos": "bookings", "bodas": "bookings",
}  # fmt: skip
_GOAL_CUES = (
    "quiero", "queremos", "quisiera", "quisiéramos", "meta", "metas", "objetivo", "objetivos",
    "planeamos", "planeo", "pensamos", "esperamos", "espero", "sueño", "nos gustaría",
    "me gustaría", "buscamos", "busco", "vamos a", "voy a", "tenemos que",
)  # fmt: skip
_GROWTH_VERBS = (
    "abrir", "duplicar", "triplicar", "crecer", "aumentar", "conseguir", "lograr", "alcanzar",
    "llegar a", "facturar", "vender", "contratar", "lanzar", "expandir",
)  # fmt: skip
_AUDIENCE_NOUNS = words(
    "personas gente mujeres hombres mamás madres papás padres familias niños niñas jóvenes "
    "estudiantes turistas profesionales profesionistas oficinistas trabajadores empresas "
    "negocios pymes startups restaurantes tiendas hoteles clínicas parejas adultos mayores "
    "novias novios dueños emprendedores freelancers vecinos extranjeros comercios bares "
    "cafeterías escuelas deportistas viajeros mascotas casas hogares alumnos alumnas "
    "universitarios señoras señores abuelos chavos empresarios agencias marcas médicos "
    "doctores abogados arquitectos artistas músicos vinotecas monotributistas coleccionistas "
    "compradores usuarios viajeros huéspedes inquilinos propietarios hospitales deportistas "
    "universidades iglesias"
)
LEXICON = Lexicon(
    language="es",
    tone_words=dict(pair.split(":") for pair in _TONE_PAIRS.split()),
    tone_cues=words(
        "suene suenen sonar sonemos tono voz transmitir transmita transmitamos personalidad "
        "sentir sienta sientan vibra describir percibido percibida perciban vean hablar "
        "comunicar comunicamos adjetivos"
    ),
    audience_cues=(
        r"(?:nuestr[oa]s|mis)\s+(?:principales\s+)?(?:clientes|clientas|compradores|"
        r"alumn[oa]s|pacientes|huéspedes)\s+(?:son|suelen\s+ser|incluyen)"
        r"(?:\s+sobre\s+todo|\s+principalmente|\s+más\s+que\s+nada|\s+casi\s+siempre)?",
        r"(?:nuestro|mi)\s+(?:público|mercado|cliente\s+ideal|cliente\s+típico)"
        r"(?:\s+objetivo)?\s+(?:es|son)(?:\s+principalmente)?",
        r"(?:atendemos|atiendo|trabajamos(?:\s+sobre\s+todo|\s+principalmente)?\s+con|"
        r"trabajo(?:\s+sobre\s+todo|\s+principalmente)?\s+con|ayudamos\s+a|ayudo\s+a|"
        r"enseño\s+a|enseñamos\s+a|(?:les\s+)?vend(?:emos|o)(?:\s+sobre\s+todo|"
        r"\s+principalmente)?\s+a)"
        r"(?:\s+sobre\s+todo|\s+principalmente|\s+más\s+que\s+nada)?(?:\s+a)?",
        r"(?:dirigid[oa]s?|pensad[oa]s?|enfocad[oa]s?)\s+(?:a|en|para)",
        r"(?:(?:nos\s+)?compran|vienen|nos\s+visitan)(?:\s+sobre\s+todo|\s+principalmente"
        r"|\s+más\s+que\s+nada|\s+mucho)?",
        r"(?:atiende|atienden|trabaja\s+con|le\s+vende\s+a|sirve\s+a)",
        r"(?:la\s+)?gente\s+que\s+(?:viene|compra|nos\s+visita|nos\s+compra)\s+(?:es|son)"
        r"(?:\s+sobre\s+todo|\s+principalmente|\s+más\s+que\s+nada)?",
        r"(?:clientes|clientas)\s+(?:son|suelen\s+ser)(?:\s+sobre\s+todo|\s+principalmente)?",
    ),
    weak_audience_cues=(r"servimos", r"(?:para|a)"),
    audience_nouns=_AUDIENCE_NOUNS,
    units=_UNITS,
    metrics=_METRICS,
    goal_cues=_GOAL_CUES,
    growth_verbs=_GROWTH_VERBS,
    offering_cues=(
        r"(?:vendemos|vendo|ofrecemos|ofrezco|hacemos|hago|preparamos|preparo|damos|doy|"
        r"servimos|sirvo|horneamos|horneo|tostamos|diseñamos|diseño|impartimos|imparto|"
        r"enseñamos|reparamos|instalamos|producimos|fabricamos|organizamos|organizo|brindamos|"
        r"prestamos|importamos|distribuimos|rentamos|alquilamos|cultivamos|criamos|cocinamos|"
        r"elaboramos|confeccionamos|cosemos|limpiamos|entregamos|hacemos|manejamos|armamos|"
        r"desarrollamos|desarrolla|creamos|crea|cultiva|"
        r"organiza|vende|ofrece|prepara|produce|fabrica)"
        r"(?:\s+también|\s+sobre\s+todo|\s+principalmente)?",
        r"(?:nuestros|mis)\s+(?:principales\s+)?(?:productos|servicios)\s+(?:son|incluyen)",
        r"nos\s+especializamos\s+en|me\s+especializo\s+en|somos\s+conocidos\s+por",
    ),
    business_name_cues=(
        r"(?:(?:mi|nuestr[oa]|el|la)\s+(?:\w+\s+){0,2}?(?:negocio|empresa|tienda|marca|estudio|"
        r"agencia|caf[eé]|cafeter[ií]a|panader[ií]a|restaurante|sal[oó]n|despacho|consultorio|"
        r"cl[ií]nica|taller|escuela|gimnasio|boutique|pasteler[ií]a|taquer[ií]a|changarro|"
        r"fonda|proyecto|emprendimiento)\s+se\s+llama)",
        r"(?:se\s+llama|llamad[oa]|se\s+llaman|nos\s+llamamos)",
        r"(?:soy\s+(?:el\s+|la\s+)?(?:due[ñn][oa]|fundador[a]?|cofundador[a]?|gerente)\s+de|"
        r"tengo\s+(?:un|una)\s+\w+\s+que\s+se\s+llama)",
        r"bienvenidos\s+a",
        r"bajo\s+el\s+nombre(?:\s+de)?",
        r"(?:con|bajo)\s+la\s+marca",
        r"(?:mi|nuestra|la)\s+marca\s+es",
        r"somos",
        r"^(?:en)",
    ),
    person_patterns=(
        r"\bme\s+llamo\s+(?P<name>{NAME})",
        r"\bmi\s+nombre\s+es\s+(?P<name>{NAME})",
        r"\bsoy\s+(?P<name>{NAME})\b",
        r"\bsoy\s+(?:la\s+|el\s+)?(?:doctora|doctor|dra\.?|dr\.?|licenciada|licenciado|"
        r"ingeniera|ingeniero|chef|maestra|maestro|profesora|profesor)\s+(?P<name>{NAME})",
        r"\bmi\s+(?P<role>soci[oa]|espos[oa]|herman[oa]|hij[oa]|mamá|papá|madre|padre|"
        r"prim[oa]|amig[oa]|marido|mujer|pareja|cofundador[a]?|gerente|asistente)\s*,?\s+"
        r"(?P<name>{NAME})",
        r"\b(?P<name>{NAME})\s*,\s*mi\s+(?P<role>soci[oa]|espos[oa]|herman[oa]|hij[oa]|"
        r"pareja|cofundador[a]?)",
        r"\b(?P<name>{NAME})\s+y\s+yo\b",
        r"\bcon\s+(?P<name>{NAME})\s*,\s+(?:quien|mi)",
    ),
    business_nouns=words(
        "negocio empresa tienda marca estudio agencia café cafe cafetería panadería "
        "restaurante salón despacho consultorio clínica taller escuela gimnasio boutique "
        "pastelería taquería fonda plomería diseño yoga barbería spa cocina tostadores "
        "fotografía limpieza jardinería consultoría"
    ),
    team_patterns=(
        r"\bequipo\s+de\s+(?P<count>\w+)",
        r"\bsomos\s+(?P<count>\w+)(?:\s+(?:personas|en\s+el\s+equipo|en\s+total|trabajando|"
        r"socios|socias|hermanos|hermanas|empleados))?\b",
        r"\b(?P<count>\w+)\s+(?:empleados|empleadas|personas|trabajadores|colaboradores|"
        r"estilistas|baristas|panaderos|técnicos|plomeros|diseñadores|diseñadoras|maestros|"
        r"maestras|instructores|cocineros|meseros|ayudantes|chavos|barberos|mecánicos|terapeutas|"
        r"choferes|enfermeras|vendedores|programadores|desarrolladores|asesores|cocineras|"
        r"carpinteros|electricistas|pintores|guías|repartidores)\b",
        r"\btengo\s+(?P<count>\w+)\s+(?:empleados|empleadas|trabajadores|personas|chavos)",
        r"\btrabajamos\s+(?P<count>\w+)\b",
    ),
    solo_patterns=(
        r"\bsolo\s+yo\b",
        r"\bsólo\s+yo\b",
        r"\btrabajo\s+sol[oa]\b",
        r"\bsoy\s+sol[oa]\b",
        r"\byo\s+sol[oa]\b",
        r"\bnada\s+más\s+yo\b",
    ),
    founded_patterns=(
        r"\b(?:fundad[oa]s?|fundamos|fundé|abrimos|abrí|empezamos|empecé|comenzamos|comencé|"
        r"arrancamos|iniciamos|inicié|nacimos|nació|abrió)\s+(?:\w+\s+){0,3}?en\s+"
        r"(?:el\s+)?(?:\w+\s+de\s+)?(?:del\s+)?(?P<year>(?:19|20)\d\d)\b",
        r"\bdesde\s+(?:el\s+)?(?:año\s+)?(?P<year>(?:19|20)\d\d)\b",
        r"\ben\s+(?P<year>(?:19|20)\d\d)\s+(?:abrimos|empezamos|fundamos|abrí|empecé|nació)",
    ),
    years_in_business_patterns=(
        r"\bhace\s+(?P<years>\w+)\s+años\b",
        r"\b(?:llevamos|llevo)\s+(?P<years>\w+)\s+años\b",
        # "tengo 41 años" is an age; only "tenemos 10 años abiertos / en el negocio" counts
        r"\b(?:tenemos|tengo)\s+(?P<years>\w+)\s+años\s+(?:abiert[oa]s|en\s+el\s+(?:negocio|mercado)|"
        r"con\s+el\s+negocio|de\s+experiencia)",
    ),
    place_cues=(
        "ubicados en",
        "ubicada en",
        "ubicado en",
        "estamos en",
        "basados en",
        "desde",
        "en",
        "de",
        "cerca de",
    ),
    phrase_stops=words(
        "y o pero que nosotros yo ellos es son era fue será está están estamos tenemos "
        "también porque así con en para por como del al este esta estos estas muy más sobre "
        "donde cuando ya a sale salen cuesta cuestan vale valen vendemos hacemos ofrecemos "
        "cobramos cobro atendemos trabajamos normalmente"
    ),
    determiners=words(
        "el la los las un una unos unas nuestro nuestra nuestros nuestras mi mis su sus de cada"
    ),
    name_connectors=frozenset({"de", "del", "la", "el", "los", "las", "y", "&"}),
    not_names=words(
        "yo nosotros hola gracias sí no lunes martes miércoles jueves viernes sábado domingo "
        "instagram facebook whatsapp tiktok google también pero y el la los las en somos mi "
        "nuestro nuestra"
    ),
    sentence_openers=words(
        "tenemos tengo dirijo manejo llevamos vendemos hacemos somos soy trabajo trabajamos "
        "hola bueno pues en nuestro nuestra mi abrimos fundamos creamos"
    ),
)
