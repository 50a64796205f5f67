//! The vocabulary the corpus generator builds its LMP-flavoured prose, titles and front matter from.

/// Topic taxonomy: (slug, name).
pub const TOPICS: &[(&str, &str)] = &[
    ("ubt-basics", "UBT basics"),
    ("huddles", "Huddles"),
    ("patient-safety", "Patient safety"),
    ("workplace-safety", "Workplace safety"),
    ("service", "Service"),
    ("affordability", "Affordability"),
    ("performance-improvement", "Performance improvement"),
    ("leadership", "Leadership"),
    ("co-leads", "Co-leads"),
    ("sponsors", "Sponsors"),
    ("engagement", "Engagement"),
    ("communication", "Communication"),
    ("conflict-resolution", "Conflict resolution"),
    (
        "interest-based-problem-solving",
        "Interest-based problem solving",
    ),
    ("total-health", "Total health"),
    ("attendance", "Attendance"),
    ("quality", "Quality"),
    ("hand-hygiene", "Hand hygiene"),
    ("falls-prevention", "Falls prevention"),
    ("medication-safety", "Medication safety"),
    ("access", "Access"),
    ("wait-times", "Wait times"),
    ("staffing", "Staffing"),
    ("training", "Training"),
    ("recognition", "Recognition"),
    ("equity-inclusion", "Equity and inclusion"),
    ("environmental-stewardship", "Environmental stewardship"),
    ("national-agreement", "National agreement"),
    ("bargaining", "Bargaining"),
    ("wellness", "Wellness"),
    ("technology", "Technology"),
    ("metrics", "Metrics"),
];

/// Audience taxonomy: (slug, name).
pub const AUDIENCES: &[(&str, &str)] = &[
    ("union-members", "Union members"),
    ("managers", "Managers"),
    ("physicians", "Physicians"),
    ("ubt-co-leads", "UBT co-leads"),
    ("sponsors", "Sponsors"),
    ("consultants", "UBT consultants"),
];

/// Series taxonomy: (slug, name).
pub const SERIES: &[(&str, &str)] = &[
    ("peer-advice", "Peer Advice"),
    ("hank", "Hank"),
    ("ubt-tip-sheet", "UBT Tip Sheet"),
];

/// One region document: every figure is optional, as in the content model.
pub struct Region {
    pub slug: &'static str,
    pub title: &'static str,
    pub members: Option<u64>,
    pub members_display: Option<&'static str>,
    pub medical_offices: Option<u64>,
    pub medical_offices_label: Option<&'static str>,
    pub hospitals: Option<u64>,
    /// (ubts, high_performing_ubts); Washington has none yet.
    pub teams: Option<(u64, u64)>,
    pub served_area: &'static str,
    pub council_since: &'static str,
}

#[allow(clippy::too_many_arguments)] // a table row, read positionally
const fn region(
    slug: &'static str,
    title: &'static str,
    members: Option<u64>,
    medical_offices: Option<u64>,
    hospitals: Option<u64>,
    teams: Option<(u64, u64)>,
    served_area: &'static str,
    council_since: &'static str,
) -> Region {
    Region {
        slug,
        title,
        members,
        members_display: None,
        medical_offices,
        medical_offices_label: None,
        hospitals,
        teams,
        served_area,
        council_since,
    }
}

/// The nine LMP regions, with plausible (not official) figures.
pub const REGIONS: &[Region] = &[
    region(
        "colorado",
        "Colorado",
        Some(626_000),
        Some(30),
        None,
        Some((148, 97)),
        "the Denver/Boulder, Southern Colorado and Northern Colorado areas",
        "2010",
    ),
    region(
        "georgia",
        "Georgia",
        Some(318_000),
        Some(26),
        None,
        Some((92, 57)),
        "metropolitan Atlanta and Athens",
        "2012",
    ),
    region(
        "hawaii",
        "Hawaii",
        Some(264_000),
        Some(24),
        Some(1),
        Some((77, 51)),
        "Oahu, Maui, Hawaii Island and Kauai",
        "2009",
    ),
    region(
        "mid-atlantic-states",
        "Mid-Atlantic States",
        Some(805_000),
        Some(35),
        None,
        Some((183, 121)),
        "Maryland, Virginia and the District of Columbia",
        "2008",
    ),
    Region {
        members_display: Some("4.6 million"),
        medical_offices_label: Some("medical offices and clinics"),
        ..region(
            "northern-california",
            "Northern California",
            Some(4_600_000),
            Some(259),
            Some(21),
            Some((1_512, 1_046)),
            "from Fresno to the Oregon border",
            "2001",
        )
    },
    region(
        "northwest",
        "Northwest",
        Some(628_000),
        Some(52),
        Some(2),
        Some((221, 163)),
        "Oregon and southwest Washington",
        "2003",
    ),
    Region {
        members_display: Some("more than 4.8 million"),
        medical_offices_label: Some("medical and dental offices"),
        ..region(
            "southern-california",
            "Southern California",
            Some(4_812_000),
            Some(246),
            Some(16),
            Some((1_634, 1_118)),
            "from Kern County to San Diego",
            "2001",
        )
    },
    region(
        "washington",
        "Washington",
        Some(712_000),
        Some(35),
        None,
        None,
        "Washington state outside the Portland area",
        "2018",
    ),
    region(
        "national-functions",
        "National Functions",
        None,
        None,
        None,
        Some((118, 79)),
        "national program offices, IT and shared services",
        "2005",
    ),
];

pub const FIRST_NAMES: &[&str] = &[
    "Maria", "James", "Linda", "Robert", "Patricia", "Michael", "Aiko", "Kalani", "Rosa",
    "Darnell", "Mei", "Carlos", "Fatima", "Tom", "Grace", "Anh", "Juan", "Keisha", "Samuel",
    "Priya", "Leilani", "Dmitri", "Ngozi", "Ellen",
];

pub const LAST_NAMES: &[&str] = &[
    "Garcia", "Nguyen", "Johnson", "Okafor", "Kim", "Martinez", "Kealoha", "Smith", "Chen",
    "Rivera", "Patel", "Brown", "Lopez", "Tanaka", "Williams", "Haddad", "Jackson", "Silva",
    "Murphy", "Singh",
];

pub const ROLES: &[&str] = &[
    "union co-lead",
    "management co-lead",
    "RN and shop steward",
    "department administrator",
    "physician lead",
    "UBT consultant",
    "medical assistant",
    "environmental services worker",
    "pharmacy technician",
    "unit manager",
    "labor sponsor",
    "clinic director",
];

pub const DEPARTMENTS: &[&str] = &[
    "Emergency Department",
    "Medical-Surgical Unit",
    "Pharmacy",
    "Radiology",
    "Laboratory",
    "Environmental Services",
    "Labor and Delivery",
    "Pediatrics",
    "Call Center",
    "Optometry",
    "Behavioral Health",
    "Physical Therapy",
    "Oncology Infusion",
    "Appointment and Advice",
    "Nutrition Services",
    "Home Health",
];

pub const MEASURES: &[&str] = &[
    "Patient satisfaction",
    "Hand hygiene compliance",
    "Falls per 1,000 patient days",
    "Workplace injuries",
    "Average wait time",
    "Staff engagement score",
    "Medication scanning rate",
    "Sick leave hours",
    "First-call resolution",
    "Missed appointments",
];

pub const PUBLISHERS: &[&str] = &[
    "Health Affairs",
    "Harvard Business Review",
    "Cornell ILR School",
    "MIT Sloan Management Review",
    "Journal of Healthcare Management",
    "Industrial Relations",
    "The Commonwealth Fund",
    "Economic Policy Institute",
];

pub const SUBJECTS: &[&str] = &[
    "The unit-based team",
    "Our union co-lead",
    "The department manager",
    "Frontline staff",
    "A physician co-lead",
    "The sponsor pair",
    "Every huddle",
    "The Labor Management Partnership",
    "The UBT consultant",
    "Union stewards",
    "Nurses and medical assistants",
    "The management co-lead",
    "The whole team",
    "Environmental services workers",
    "Members of the Coalition",
    "The Alliance unions",
    "Pharmacy technicians",
    "The regional partnership council",
    "Managers and physicians",
    "A new team member",
];

pub const VERBS: &[&str] = &[
    "reviewed",
    "tracked",
    "improved",
    "discussed",
    "tested",
    "shared",
    "redesigned",
    "measured",
    "celebrated",
    "questioned",
    "mapped",
    "simplified",
    "championed",
    "revisited",
    "piloted",
    "standardized",
    "explained",
    "documented",
];

pub const OBJECTS: &[&str] = &[
    "patient safety data",
    "the huddle board",
    "hand hygiene rates",
    "a small test of change",
    "the value compass",
    "workplace safety goals",
    "the team charter",
    "their performance metrics",
    "the discharge process",
    "appointment access",
    "the scheduling workflow",
    "interest-based problem solving",
    "the rapid improvement model",
    "the national agreement",
    "the Total Health goals",
    "staff engagement survey results",
    "the medication scanning process",
    "call center wait times",
    "the falls prevention bundle",
    "the People Pulse results",
    "the UBT path to performance",
    "the plan-do-study-act cycle",
    "the co-lead agreement",
    "the sponsor check-in",
];

pub const TAILS: &[&str] = &[
    "during the morning huddle",
    "with support from the LMP consultant",
    "in partnership with the union",
    "to reduce wait times for members",
    "before the next quarterly review",
    "so every voice was heard",
    "at the monthly team meeting",
    "with help from their sponsors",
    "across all three shifts",
    "using a simple run chart",
    "in the break room",
    "after a near miss",
    "to keep patients safe",
    "without adding overtime",
    "with frontline workers in the lead",
    "as part of the UBT path to performance",
    "over six weeks",
    "and shared the results with the region",
];

pub const OPENERS: &[&str] = &[
    "At first",
    "Within a month",
    "Together",
    "In partnership",
    "Each week",
    "By the end of the year",
    "After the first test",
    "With the data in hand",
    "For the first time",
    "Quarter after quarter",
];

pub const QUOTES: &[&str] = &[
    "When we solve problems together, patients feel the difference.",
    "The huddle is where everyone gets a say, from the newest hire to the physician.",
    "Partnership is not a program; it is how we do our work.",
    "We stopped blaming each other and started looking at the process.",
    "Our members trust us more because they see labor and management side by side.",
    "Small tests of change add up to big results.",
    "Safety is everybody's job, and the data proved it.",
    "I never thought a ten-minute huddle could change our whole unit.",
];

pub const TITLE_VERBS: &[&str] = &[
    "cuts",
    "improves",
    "rethinks",
    "tackles",
    "boosts",
    "streamlines",
    "transforms",
    "measures",
];

pub const TITLE_SUBJECTS: &[&str] = &[
    "Pharmacy team",
    "Emergency department",
    "Call center",
    "Lab team",
    "Radiology UBT",
    "Night shift",
    "Clinic staff",
    "Home health team",
    "Med-surg unit",
    "Optometry team",
    "Environmental services",
    "Labor and delivery",
];

pub const TITLE_OBJECTS: &[&str] = &[
    "wait times",
    "patient falls",
    "hand hygiene",
    "medication errors",
    "workplace injuries",
    "missed appointments",
    "supply costs",
    "staff turnover",
    "discharge delays",
    "no-show rates",
    "patient satisfaction",
    "huddle attendance",
];

pub const GUIDE_TITLES: &[&str] = &[
    "How to run a ten-minute huddle",
    "Getting started as a UBT co-lead",
    "Choosing a performance improvement project",
    "Using interest-based problem solving",
    "Building a team charter",
    "Reading a run chart",
    "Running a small test of change",
    "Sponsoring a unit-based team",
    "Engaging physicians in UBT work",
    "Resolving conflict in partnership",
    "Setting SMART goals",
    "Celebrating team success",
];

pub const PRACTICE_TITLES: &[&str] = &[
    "Safety huddles cut falls",
    "Scripting improves service scores",
    "Visual boards keep teams on track",
    "Buddy system reduces injuries",
    "Peer coaching raises hand hygiene",
    "Pre-visit calls reduce no-shows",
    "Lean supply rooms save money",
    "Standard work speeds discharges",
];

pub const TOOL_TITLES: &[&str] = &[
    "UBT checklist",
    "Huddle agenda template",
    "Team charter worksheet",
    "Partnership word puzzle",
    "Co-lead guide",
    "Small test of change worksheet",
    "Value compass checklist",
    "Meeting evaluation template",
];

pub const VIDEO_TITLES: &[&str] = &[
    "Inside a high-performing UBT",
    "Partnership at the bedside",
    "The value compass in action",
    "A day with a UBT consultant",
    "Why huddles matter",
    "Voices of partnership",
];

pub const RESEARCH_TITLES: &[&str] = &[
    "Labor-management partnerships and quality of care",
    "Unit-based teams and patient outcomes",
    "The business case for partnership",
    "Frontline engagement in health care",
    "High-involvement work practices in hospitals",
    "Collaborative bargaining in health care",
];

pub const PAGE_TITLES: &[&str] = &[
    "About the partnership",
    "Contact us",
    "Our history",
    "National agreement",
    "Partnership unions",
    "Frequently asked questions",
    "Privacy",
    "Accessibility",
];

/// Second-level headings; all plain words so every slugifier agrees on the anchor.
pub const H2: &[&str] = &[
    "Why it matters",
    "What the team tried",
    "Results",
    "Getting started",
    "Lessons learned",
    "Next steps",
    "How the huddle works",
    "Measuring progress",
    "Tips for co-leads",
    "Engaging frontline staff",
    "Sustaining the gains",
    "Background",
    "The problem",
    "Working in partnership",
    "What members noticed",
    "The role of sponsors",
    "Spreading the practice",
    "Step one",
    "Step two",
    "Step three",
    "Common questions",
    "Data and measures",
    "Building trust",
    "The turning point",
];

/// Third-level headings.
pub const H3: &[&str] = &[
    "Before",
    "After",
    "What worked",
    "What did not work",
    "Tools we used",
    "Questions to ask",
    "Who was involved",
    "Timeline",
    "In their words",
    "A closer look",
];

pub const LIST_ITEMS: &[&str] = &[
    "Start every huddle on time and keep it short",
    "Post the metrics where everyone can see them",
    "Rotate the facilitator role among team members",
    "Invite the physician lead at least once a month",
    "Celebrate small wins in front of the whole team",
    "Ask the sponsor pair to remove barriers",
    "Document each test of change on the board",
    "Check in with the union steward before big changes",
    "Use the value compass to frame decisions",
    "Share results with members and patients",
    "Review safety incidents without blame",
    "Welcome new staff with a UBT orientation",
];

pub const YAML_SNIPPETS: &[&str] = &[
    "huddle:\n  time: \"08:15\"\n  length_minutes: 10\n  agenda:\n    - safety check\n    - metrics review\n    - recognition\n",
    "team_charter:\n  purpose: improve hand hygiene\n  co_leads:\n    union: shop steward\n    management: unit manager\n  measure: compliance_rate\n  target: 0.95\n",
    "test_of_change:\n  plan: call patients two days ahead\n  do: four weeks on one module\n  study: no_show_rate\n  act: adopt\n",
];
