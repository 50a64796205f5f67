//! The Spanish vocabulary of the corpus generator's translations (`--spanish`): each list has the
//! same length and order as its English list in `vocab.rs`, so a translation's body is written
//! from the same random picks as its original (same sections, paragraphs, lists, quotes, links
//! and code) in Spanish words, with Spanish stop words where Spanish prose has them.

/// [`super::vocab::SUBJECTS`] in Spanish, with whether the subject is plural (its verb agrees).
pub const SUBJECTS_ES: &[(&str, bool)] = &[
    ("El equipo de unidad", false),
    ("Nuestra colíder sindical", false),
    ("La gerente del departamento", false),
    ("El personal de primera línea", false),
    ("Una médica colíder", false),
    ("Los patrocinadores", true),
    ("Cada reunión breve", false),
    ("La Asociación Laboral-Gerencial", false),
    ("La consultora de UBT", false),
    ("Los delegados sindicales", true),
    ("Enfermeras y asistentes médicos", true),
    ("El colíder gerencial", false),
    ("Todo el equipo", false),
    ("El personal de limpieza", false),
    ("Los miembros de la Coalición", true),
    ("Los sindicatos de la Alianza", true),
    ("Los técnicos de farmacia", true),
    ("El consejo regional", false),
    ("Gerentes y médicos", true),
    ("Una nueva compañera", false),
];

/// [`super::vocab::VERBS`] in Spanish: (singular, plural) preterite.
pub const VERBS_ES: &[(&str, &str)] = &[
    ("revisó", "revisaron"),
    ("siguió", "siguieron"),
    ("mejoró", "mejoraron"),
    ("habló sobre", "hablaron sobre"),
    ("probó", "probaron"),
    ("compartió", "compartieron"),
    ("rediseñó", "rediseñaron"),
    ("midió", "midieron"),
    ("celebró", "celebraron"),
    ("cuestionó", "cuestionaron"),
    ("trazó", "trazaron"),
    ("simplificó", "simplificaron"),
    ("impulsó", "impulsaron"),
    ("retomó", "retomaron"),
    ("puso a prueba", "pusieron a prueba"),
    ("estandarizó", "estandarizaron"),
    ("explicó", "explicaron"),
    ("documentó", "documentaron"),
];

/// [`super::vocab::OBJECTS`] in Spanish.
pub const OBJECTS_ES: &[&str] = &[
    "los datos de seguridad del paciente",
    "el tablero",
    "las tasas de higiene de manos",
    "una pequeña prueba de cambio",
    "la brújula de valores",
    "las metas de seguridad laboral",
    "el acta del equipo",
    "sus medidas de desempeño",
    "el proceso de alta",
    "el acceso a las citas",
    "la programación de turnos",
    "la resolución de problemas basada en intereses",
    "el modelo de mejora rápida",
    "el acuerdo nacional",
    "las metas de Salud Total",
    "la encuesta de participación",
    "el escaneo de medicamentos",
    "las esperas del centro de llamadas",
    "la prevención de caídas",
    "los resultados de People Pulse",
    "el camino al desempeño",
    "el ciclo planear-hacer-estudiar-actuar",
    "el acuerdo de colíderes",
    "la consulta con patrocinadores",
];

/// [`super::vocab::TAILS`] in Spanish.
pub const TAILS_ES: &[&str] = &[
    "en la reunión matutina",
    "con apoyo de la consultora",
    "en asociación con el sindicato",
    "para reducir las esperas de los miembros",
    "antes de la próxima revisión trimestral",
    "para escuchar todas las voces",
    "en la reunión mensual del equipo",
    "con la ayuda de sus patrocinadores",
    "en los tres turnos",
    "con un gráfico de tendencia sencillo",
    "en la sala de descanso",
    "después de un casi error",
    "para mantener seguros a los pacientes",
    "sin añadir horas extra",
    "con la primera línea al frente",
    "como parte del camino al desempeño",
    "durante seis semanas",
    "y los resultados llegaron a la región",
];

/// [`super::vocab::OPENERS`] in Spanish.
pub const OPENERS_ES: &[&str] = &[
    "Al principio",
    "En menos de un mes",
    "Juntos",
    "En asociación",
    "Cada semana",
    "Para fin de año",
    "Después de la primera prueba",
    "Con los datos en la mano",
    "Por primera vez",
    "Trimestre tras trimestre",
];

/// [`super::vocab::QUOTES`] in Spanish.
pub const QUOTES_ES: &[&str] = &[
    "Cuando resolvemos los problemas juntos, los pacientes notan la diferencia.",
    "La reunión breve es donde todos opinan, desde la persona recién contratada hasta el médico.",
    "La asociación no es un programa; es la manera en que hacemos nuestro trabajo.",
    "Dejamos de culparnos y empezamos a mirar el proceso.",
    "Los miembros confían más en nosotros porque ven al sindicato y a la gerencia lado a lado.",
    "Las pequeñas pruebas de cambio suman grandes resultados.",
    "La seguridad es trabajo de todos, y los datos lo demostraron.",
    "Nunca pensé que una reunión de diez minutos pudiera cambiar toda nuestra unidad.",
];

/// [`super::vocab::ROLES`] in Spanish.
pub const ROLES_ES: &[&str] = &[
    "colíder sindical",
    "colíder de la gerencia",
    "enfermera y delegada sindical",
    "administradora del departamento",
    "médico líder",
    "consultor de los equipos",
    "asistente médica",
    "trabajador de servicios ambientales",
    "técnica de farmacia",
    "gerente de la unidad",
    "patrocinador sindical",
    "directora de la clínica",
];

/// [`super::vocab::H2`] in Spanish (the heading keeps its English anchor with `{#id}`, so links
/// to a section land on it in both languages).
pub const H2_ES: &[&str] = &[
    "Por qué importa",
    "Lo que probó el equipo",
    "Resultados",
    "Cómo empezar",
    "Lecciones aprendidas",
    "Próximos pasos",
    "Cómo funciona la reunión breve",
    "Cómo medir el avance",
    "Consejos para los colíderes",
    "Cómo involucrar al personal de primera línea",
    "Cómo mantener los logros",
    "Antecedentes",
    "El problema",
    "Trabajar en asociación",
    "Lo que notaron los miembros",
    "El papel de los patrocinadores",
    "Cómo difundir la práctica",
    "Primer paso",
    "Segundo paso",
    "Tercer paso",
    "Preguntas frecuentes",
    "Datos y medidas",
    "Cómo generar confianza",
    "El momento decisivo",
];

/// [`super::vocab::H3`] in Spanish.
pub const H3_ES: &[&str] = &[
    "Antes",
    "Después",
    "Lo que funcionó",
    "Lo que no funcionó",
    "Las herramientas que usamos",
    "Preguntas que hacer",
    "Quiénes participaron",
    "Cronología",
    "En sus palabras",
    "Una mirada más de cerca",
];

/// [`super::vocab::LIST_ITEMS`] in Spanish.
pub const LIST_ITEMS_ES: &[&str] = &[
    "Empiece cada reunión a tiempo y sea breve",
    "Publique las medidas donde todos puedan verlas",
    "Rote el papel de facilitador en el equipo",
    "Invite al médico líder al menos una vez al mes",
    "Celebre los pequeños logros delante de todo el equipo",
    "Pida a los patrocinadores quitar obstáculos",
    "Anote cada prueba de cambio en el tablero",
    "Consulte al delegado sindical antes de grandes cambios",
    "Use la brújula de valores para enmarcar las decisiones",
    "Comparta los resultados con los miembros y los pacientes",
    "Revise los incidentes de seguridad sin culpar a nadie",
    "Reciba al personal nuevo con una orientación sobre UBT",
];

/// The link texts of `Body::link` in Spanish, by the target's collection.
pub const LINK_GUIDE_ES: &str = "la guía";
pub const LINK_TOOL_ES: &str = "esta herramienta";
pub const LINK_PRACTICE_ES: &str = "una práctica probada por los equipos";
pub const LINK_REGION_ES: &str = "la región";
pub const LINK_VIDEO_ES: &str = "el video";
pub const LINK_RESEARCH_ES: &str = "la investigación";
/// The English list's four story link texts, in order.
pub const LINK_STORY_ES: &[&str] = &[
    "esta historia",
    "una historia relacionada",
    "otro equipo",
    "cómo lo hicieron",
];

// Every list is index-aligned with its English list.
const _: () = {
    use super::vocab::*;
    assert!(SUBJECTS_ES.len() == SUBJECTS.len());
    assert!(VERBS_ES.len() == VERBS.len());
    assert!(OBJECTS_ES.len() == OBJECTS.len());
    assert!(TAILS_ES.len() == TAILS.len());
    assert!(OPENERS_ES.len() == OPENERS.len());
    assert!(QUOTES_ES.len() == QUOTES.len());
    assert!(ROLES_ES.len() == ROLES.len());
    assert!(H2_ES.len() == H2.len());
    assert!(H3_ES.len() == H3.len());
    assert!(LIST_ITEMS_ES.len() == LIST_ITEMS.len());
};
