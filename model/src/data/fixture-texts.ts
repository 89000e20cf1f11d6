/**
 * Word lists and sentence templates for the generated fixture corpus. `{slot}` is filled from the
 * label's slots; a slot used twice in one sentence gets two different values. A few words are shared
 * between topics on purpose ("launch", "team", "heat", "record", "orbit") so the task is not trivial.
 */
export interface TopicTemplates {
  sentences: string[];
  slots: Record<string, string[]>;
}

export const FIXTURE_TOPICS: Record<string, TopicTemplates> = {
  computing: {
    sentences: [
      "My laptop freezes whenever I {action} with {software} open.",
      "Which {part} should I buy for a {use} build on a small budget?",
      "After the {os} update my {device} is not recognised any more.",
      "I reinstalled the {driver} driver but the screen still flickers at {resolution}.",
      "Is {memory} GB of memory enough for {use} on {os}?",
      "The compiler throws a segmentation fault when I {buildStep}.",
      "Our team will launch the new app once the database server is patched.",
      "Backing up the hard drive to an external disk took {count} hours and the fan never stopped.",
      "I keep a record of every crash in a log file, and most happen right after {action}.",
      "Does {software} run faster with a {part} upgrade or with more memory?",
    ],
    slots: {
      action: [
        "copying large files",
        "connecting a second monitor",
        "plugging in the printer",
        "starting a virtual machine",
      ],
      software: ["the web browser", "a spreadsheet", "the photo editor", "the terminal", "the music player"],
      part: ["graphics card", "power supply", "motherboard", "solid state drive", "processor"],
      use: ["gaming", "video editing", "programming", "home office"],
      os: ["Windows", "Linux", "macOS"],
      device: ["printer", "scanner", "USB keyboard", "external drive", "webcam"],
      driver: ["graphics", "network", "audio"],
      resolution: ["1080p", "1440p", "4K"],
      memory: ["8", "16", "32", "64"],
      buildStep: [
        "link the maths library",
        "turn on optimisation",
        "run it in debug mode",
        "compile with warnings on",
      ],
      count: ["two", "three", "five", "eight"],
    },
  },
  cooking: {
    sentences: [
      "Preheat the oven to {temp} degrees and bake the {dish} for {minutes} minutes.",
      "Any tips for keeping {dish} moist? Mine always comes out dry.",
      "I swapped {ingredient} for {ingredient} and the {dish} tasted even better.",
      "Simmer the {sauce} over low heat and stir in the {ingredient} at the end.",
      "My grandmother's {dish} recipe uses a pinch of {spice} and fresh {herb}.",
      "The dough needs to rest for {count} hours before you roll it out.",
      "What is the best pan for searing {protein} without it sticking?",
      "Season the {protein} with salt, {spice} and lemon, then grill it over high heat.",
      "Our whole team loved the {dish}, so I am writing the recipe down this time.",
      "Chop the {herb} finely and sprinkle it over the {dish} just before serving.",
    ],
    slots: {
      temp: ["180", "200", "220", "350", "425"],
      dish: ["lasagna", "banana bread", "roast chicken", "apple pie", "vegetable curry", "sourdough loaf"],
      ingredient: ["butter", "olive oil", "yogurt", "brown sugar", "coconut milk", "honey"],
      sauce: ["tomato sauce", "curry sauce", "gravy", "mushroom sauce"],
      spice: ["cumin", "paprika", "nutmeg", "black pepper", "cinnamon"],
      herb: ["basil", "thyme", "parsley", "rosemary", "coriander"],
      count: ["two", "three", "twelve"],
      protein: ["salmon", "steak", "tofu", "chicken thighs", "pork chops"],
      minutes: ["25", "40", "45", "60"],
    },
  },
  space: {
    sentences: [
      "The {rocket} launch was delayed by {weather} at {site}.",
      "NASA released new images of {body} taken by the {probe} probe.",
      "How long does a radio signal take to reach {body} from Earth?",
      "The crew of the {station} spent {count} hours on a spacewalk repairing a solar panel.",
      "Astronomers spotted a {object} near {body} with {telescope}.",
      "The {probe} mission is planned to enter orbit around {body} in {year}.",
      "Last night I could see {body} clearly through my backyard telescope.",
      "The second stage of the {rocket} shut down early, but the satellite still reached orbit.",
      "Which team at {site} builds the heat shield for the {rocket} capsule?",
      "A new record: the {probe} probe is now farther from the Sun than any craft before it.",
    ],
    slots: {
      rocket: ["Falcon 9", "Atlas V", "Ariane 5", "Soyuz", "Delta IV", "Electron"],
      weather: ["high winds", "thunderstorms", "a cold front", "low clouds"],
      site: ["Cape Canaveral", "Vandenberg", "Kourou", "Baikonur"],
      body: ["Jupiter", "Mars", "Saturn", "the Moon", "Venus", "Europa", "Titan"],
      probe: ["Galileo", "Voyager", "Cassini", "Juno", "Magellan"],
      station: ["space station", "Mir station", "orbital laboratory"],
      count: ["six", "seven", "eight"],
      object: ["comet", "small asteroid", "faint galaxy", "dust ring"],
      telescope: ["the Hubble Space Telescope", "the Keck Observatory", "a radio telescope array"],
      year: ["2027", "2028", "2029", "2031"],
    },
  },
  sport: {
    sentences: [
      "{team} beat {team} {score} on {day} thanks to a late {play} from their {position}.",
      "The {position} was injured in the {half} half and will miss the {event}.",
      "Our coach wants more {drill} before the {event} against {team}.",
      "Did anyone watch the {event}? The referee gave a penalty in the final minutes.",
      "{team} fans booed when the striker missed an open goal.",
      "She set a new {recordKind} record in the {distance} heat at the national championships.",
      "Season tickets for {team} sold out in {count} days.",
      "The league table is tight: {team} are one point ahead of {team}.",
      "The whole team trained at altitude for a month to prepare for the {event}.",
      "Who do you think will win the {event}, {team} or {team}?",
    ],
    slots: {
      team: [
        "Riverside United",
        "the Harbour Hawks",
        "City Rovers",
        "the Northfield Lions",
        "Eastport Athletic",
        "the Valley Giants",
      ],
      score: ["2-1", "3-0", "1-0", "4-2", "2-2"],
      day: ["Saturday", "Sunday", "Wednesday night", "Friday"],
      play: ["header", "free kick", "penalty", "breakaway goal", "three-pointer"],
      position: ["goalkeeper", "captain", "striker", "point guard", "defender", "winger"],
      half: ["first", "second"],
      event: ["cup final", "derby", "playoff game", "season opener", "semifinal"],
      drill: ["sprint drills", "passing practice", "fitness training", "set-piece work"],
      recordKind: ["club", "national", "championship"],
      distance: ["100 metre", "400 metre", "800 metre"],
      count: ["two", "three", "four"],
    },
  },
};

/** Forum-style openers and closers shared by every topic (noise a classifier must learn to ignore). */
export const FIXTURE_OPENERS = [
  "Hi all,",
  "Quick question.",
  "Not sure this is the right group.",
  "Hello everyone.",
];
export const FIXTURE_CLOSERS = [
  "Thanks in advance!",
  "Any advice is welcome.",
  "Cheers.",
  "I read about it this morning.",
];
