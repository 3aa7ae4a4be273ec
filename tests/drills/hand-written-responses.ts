/**
 * Hand-written drill responses with the verdicts a careful human gives each rubric dimension, for the local
 * evaluator's tests. Spoken answers carry the measured duration a recording of them would have; written answers are
 * estimated at 145 WPM like the app does. Each `why` says what the answer is meant to show.
 */
import type { DrillVerdict, RubricMeasure } from '../../shared/drills/evaluation';

export interface HandWrittenQuestion {
  prompt: string;
  evaluationCriteria: string[];
  expectedDurationS: number;
}

export interface HandWrittenResponse {
  name: string;
  why: string;
  question: HandWrittenQuestion;
  transcript: string;
  /** Spoken: the recording's duration in seconds. Written: null (estimated from the words). */
  spokenDurationS: number | null;
  expected: Record<RubricMeasure, DrillVerdict>;
}

// Questions as the sample drill pack asks them.
const senior: HandWrittenQuestion = {
  prompt: 'Tell me about a time you disagreed with a decision made by someone senior to you.',
  evaluationCriteria: [
    "Describes the decision and the senior colleague's reasons fairly",
    'Explains how they raised the disagreement respectfully',
    'States how the disagreement was resolved and what they learned',
  ],
  expectedDurationS: 105,
};
const team: HandWrittenQuestion = {
  prompt: 'Tell me about a time you worked in a team that was not working well. What did you do?',
  evaluationCriteria: [
    'Describes what was going wrong in the team',
    'Names the actions they personally took to help the team work together',
    'States the result for the team and its work',
  ],
  expectedDurationS: 105,
};
const problem: HandWrittenQuestion = {
  prompt: 'Tell me about a time you solved a difficult problem.',
  evaluationCriteria: ['Sets up the problem and why it was difficult', 'Describes the steps they personally took to solve it', 'Ends with a clear result'],
  expectedDurationS: 120,
};
const lead: HandWrittenQuestion = {
  prompt: 'Tell me about a time you led a team or a project.',
  evaluationCriteria: [
    'Describes the team or project and its goal',
    'Names the decisions and actions they took as the leader',
    'States the result with a number or a concrete outcome',
  ],
  expectedDurationS: 105,
};
const why: HandWrittenQuestion = {
  prompt: 'Why are you interested in this role (or this residency programme)?',
  evaluationCriteria: [
    'Connects their motivation to what the role or programme actually involves',
    'Refers to relevant experience or skills they bring',
    'Avoids a generic reason that would fit any job or programme',
  ],
  expectedDurationS: 75,
};
const mistake: HandWrittenQuestion = {
  prompt: 'Tell me about a mistake you made and what you learned from it.',
  evaluationCriteria: [
    'Takes responsibility for the mistake without blaming others',
    'Identifies the lesson clearly',
    'Shows how they have acted differently since the mistake',
  ],
  expectedDurationS: 105,
};
const improve: HandWrittenQuestion = {
  prompt: 'Give an example of a time you improved the way something was done.',
  evaluationCriteria: [
    'Describes how the process worked before the change',
    'Names the specific change they made and how they introduced it',
    'Shows a measurable or observable improvement',
  ],
  expectedDurationS: 105,
};
const yourself: HandWrittenQuestion = {
  prompt: 'In about a minute, tell me about yourself.',
  evaluationCriteria: [
    'Picks the two or three experiences most relevant to this role or programme',
    'Links the background to why they are applying now',
    'Stays within the time without a life story',
  ],
  expectedDurationS: 60,
};
const patient: HandWrittenQuestion = {
  prompt: 'Describe a difficult conversation with an upset patient, customer or family member.',
  evaluationCriteria: [
    'Describes why the patient, customer or family member was upset',
    'Shows how they listened and explained calmly',
    'States how the conversation ended and any follow-up',
  ],
  expectedDurationS: 105,
};
const priorities: HandWrittenQuestion = {
  prompt: 'Tell me about a time you had several urgent tasks at once. How did you prioritise?',
  evaluationCriteria: [
    'Names the urgent tasks competing for their time',
    'Explains how they ranked the tasks and what they did first',
    'States how the tasks turned out',
  ],
  expectedDurationS: 90,
};
const feedback: HandWrittenQuestion = {
  prompt: 'Describe a piece of feedback that changed how you work.',
  evaluationCriteria: [
    'Describes the feedback honestly, including what was hard to hear',
    'Explains what they changed in their work as a result',
    'Reflects on the effect of that change',
  ],
  expectedDurationS: 90,
};

const allPass: Record<RubricMeasure, DrillVerdict> = {
  pace: 'PASS',
  fillers: 'PASS',
  structure: 'PASS',
  specificity: 'PASS',
  relevance: 'PASS',
  length: 'PASS',
  result: 'PASS',
};
const flagged = (flags: RubricMeasure[]): Record<RubricMeasure, DrillVerdict> => {
  const verdicts = { ...allPass };
  for (const measure of flags) verdicts[measure] = 'FLAG';
  return verdicts;
};

export const STRONG_STAR_ANSWER =
  'In my second year of residency, my attending decided to discharge an elderly patient on a Friday afternoon after a fall. ' +
  'His reason was fair: the scans were clear and the ward was full, with four people waiting in the emergency department. ' +
  'I disagreed, because the patient lived alone, had stairs at home and had not yet been seen by physiotherapy. ' +
  'My task was to raise that without undermining his decision in front of the team. ' +
  'So I asked to speak with him privately after rounds. I explained the two risks I saw, and I proposed a compromise: ' +
  'a physiotherapy assessment that same afternoon and a call to the daughter about support at home. ' +
  'He listened and agreed to the assessment. I called physiotherapy myself and booked the slot for three o’clock, ' +
  'and I spoke with the daughter, who arranged to stay with her father for the first week. ' +
  'The assessment showed he needed a frame for the stairs, which we ordered before he left. ' +
  'What I learned is to bring a specific alternative, not just an objection, when I disagree with someone senior. ' +
  'As a result, the patient went home safely on Saturday with a walking frame, and he was not readmitted within thirty days.';

export const handWrittenResponses: HandWrittenResponse[] = [
  {
    name: 'a strong STAR answer',
    why: 'Situation, task, actions with "I", numbers, on-topic, on time, closes on the result.',
    question: senior,
    transcript: STRONG_STAR_ANSWER,
    spokenDurationS: 95,
    expected: allPass,
  },
  {
    name: 'filler-heavy but otherwise sound',
    why: 'Eight fillers in 50 seconds (um, uh, basically, like, you know): far over 2 per minute.',
    question: team,
    transcript:
      'Um, so at the time I was working on a student project team of five and, uh, two people basically stopped showing up. ' +
      'Like, the rest of us were doing all the work and, you know, people were getting annoyed. ' +
      'My task was to get the report in by the deadline. So I, um, set up a short meeting every Monday and I split the work into ten tasks on a shared board, ' +
      'and I talked to the two people, like, one to one, to ask what was going on. ' +
      'It turned out one of them was working nights. Uh, we gave her the editing, which she could do late. ' +
      'In the end we finished the report two days early and got the best mark in the class.',
    spokenDurationS: 50,
    expected: flagged(['fillers', 'length']),
  },
  {
    name: 'no result',
    why: 'Sets up the problem and the actions, then trails off without saying how it ended.',
    question: problem,
    transcript:
      'At the time I was a junior analyst, and our monthly sales report took three days to build because the data came from four different spreadsheets. ' +
      'The problem was that every region used its own column names, so nothing lined up. ' +
      'I needed to get the report out in less time. I mapped every column to one shared list, and I wrote a small script that renamed the columns and merged the files. ' +
      'I tested it against the last six reports to check the totals matched. ' +
      'I also documented the steps so that someone else could run it. ' +
      'There were a lot of edge cases with the dates, and some regions sent their files late, and the formats kept changing every quarter, ' +
      'so there was always something new to handle in the script.',
    spokenDurationS: 60,
    expected: flagged(['result', 'length']),
  },
  {
    name: 'too short',
    why: 'Two sentences in 7 seconds for a question expecting 105: on the topic ("project"), but no STAR, no number, no result.',
    question: lead,
    transcript: 'I led a group project at university once. It went well and everyone was happy with it.',
    spokenDurationS: 7,
    expected: flagged(['length', 'structure', 'specificity', 'result']),
  },
  {
    name: 'off-topic',
    why: 'Asked why this programme, answers about a holiday: nothing ties it to the question or its criteria.',
    question: why,
    transcript:
      'Last summer I went hiking in Scotland with two friends for ten days. We planned the route ourselves, and I booked the hostels and organised the train tickets. ' +
      'The weather was terrible for the first three days, so we changed the route and took a ferry to one of the islands instead. ' +
      'We ended up seeing dolphins from the boat, which was the highlight of the trip, and I would go back tomorrow.',
    spokenDurationS: 30,
    expected: flagged(['relevance', 'length']),
  },
  {
    name: 'hedging',
    why: 'Six hedges ("I guess", "maybe", "sort of", "probably", "I think maybe", "I suppose") in 38 seconds: far over 2 a minute.',
    question: mistake,
    transcript:
      'I guess the mistake was maybe in my first job, when I sort of forgot to check a dosage that a colleague had written up. ' +
      'It was probably not a huge deal, but I think maybe it could have been, I suppose. ' +
      'My task was to double-check every prescription on the ward round. I spoke to the pharmacist straight away and we corrected it before it was given. ' +
      'Since then I check every dose against the chart myself, even when I am busy, and I have not missed one in two years.',
    spokenDurationS: 38,
    expected: flagged(['fillers', 'length']),
  },
  {
    name: 'numbers-rich improvement',
    why: 'A process improvement with before and after figures; on topic and on time.',
    question: improve,
    transcript:
      'When I was a ward clerk, the process for booking follow-up appointments was all on paper. ' +
      'Patients waited around 40 minutes at discharge while we phoned the clinics one by one, and about 15 percent of the bookings had the wrong date. ' +
      'My goal was to make the change without new software, because there was no budget. ' +
      'I mapped the steps with the two nurses on the ward and found that most of the wait was spent on hold. ' +
      'I proposed that each clinic release a block of 10 slots every morning that we could book directly in the shared calendar. ' +
      'I drafted a one-page guide, trained the six clerks over two weeks, and reviewed every booking in the first month. ' +
      'The clinics were worried about empty slots, so we agreed to release unused slots back at noon. ' +
      'After three months, the discharge wait fell from 40 minutes to 12, and wrong dates dropped from 15 percent to under 2 percent. ' +
      'The change was adopted by the other three wards on the floor, and they still use it. ' +
      'As a result, we cut the discharge wait by almost half an hour for every patient.',
    spokenDurationS: 108,
    expected: allPass,
  },
  {
    name: 'rambling and too long',
    why: 'A one-minute question answered in two and a half minutes of life story: detailed (numbers, things done) but out of STAR order, too long, and closing on a wish rather than an outcome.',
    question: yourself,
    transcript:
      'So I was born in a small town by the sea, and my parents ran a bakery, so I grew up getting up at five in the morning to help with the bread. ' +
      'At school I liked science, and also music, I played the violin for eight years in the school orchestra, and we toured twice, once to Vienna. ' +
      'Then I moved to the city for university, which was a big change, and I studied biology for three years before switching to medicine. ' +
      'During medical school I worked part-time in a care home, and I volunteered with a charity that runs a night shelter. ' +
      'I also spent a summer in Ghana on an elective in a rural clinic, which was hard but I learned a lot about working with few resources. ' +
      'After graduating I did my foundation years in two hospitals, one big teaching hospital and one small district hospital. ' +
      'In my spare time I still play music, I run, and I have started learning Spanish, and I cook a lot, mostly bread, because of my parents. ' +
      'I also like travelling, I went to Japan last year, and I read a lot of history. ' +
      'I think that is most of it, I am applying for this programme now because I want to train in emergency medicine, ' +
      'and I have enjoyed every emergency rotation I have done so far, especially the night shifts, which most people do not like. ' +
      'I want a busy programme with good teaching, and I want to be near my family again, and the rotations here cover both adult and paediatric emergency medicine.',
    spokenDurationS: 150,
    expected: flagged(['length', 'structure', 'result']),
  },
  {
    name: 'a strong written answer',
    why: 'The strong answer typed: pace is not measured (PASS, said so); length uses the estimated duration.',
    question: senior,
    transcript: STRONG_STAR_ANSWER,
    spokenDurationS: null,
    expected: allPass,
  },
  {
    name: 'a short written answer',
    why: 'Typed in a hurry: 26 words estimate to 11 seconds, far under 90; it still closes on a result ("Now the team reads them").',
    question: feedback,
    transcript:
      'My supervisor told me my notes were too long. I changed them to a short summary first. Now the team reads them and handovers are quicker.',
    spokenDurationS: null,
    expected: flagged(['length', 'structure', 'specificity']),
  },
  {
    name: 'far too fast',
    why: 'A sound answer rushed at over 200 words a minute.',
    question: priorities,
    transcript:
      'On a night shift last winter I was the only doctor covering two wards, and within ten minutes I had three urgent calls: a patient with chest pain, ' +
      'a patient with a low blood sugar, and a family asking for an update. ' +
      'I needed to decide what could wait. I ranked them by how quickly each could harm someone: the low blood sugar first, because it can be fixed in minutes, ' +
      'so I asked the nurse to give glucose while I walked to the chest pain. ' +
      'I examined him, did an ECG and started treatment, and I paged the registrar. ' +
      'Then I checked the blood sugar again, which was back to normal, and I called the family forty minutes later and apologised for the wait. ' +
      'As a result, both patients were stable within the hour, and the family thanked me for explaining the delay honestly.',
    spokenDurationS: 39,
    expected: flagged(['pace', 'length']),
  },
  {
    name: 'far too slow',
    why: 'The same kind of answer at under 100 words a minute.',
    question: priorities,
    transcript:
      'On a night shift last winter I was covering two wards. Within ten minutes I had three urgent calls: chest pain, a low blood sugar, and a family wanting an update. ' +
      'I needed to decide what could wait. I prioritised the low sugar and asked the nurse to give glucose, because that takes minutes. ' +
      'Then I examined the patient with chest pain, did an ECG, and paged the registrar. ' +
      'I called the family forty minutes later and explained the delay. ' +
      'As a result, both patients were stable within the hour.',
    spokenDurationS: 70,
    expected: flagged(['pace']),
  },
  {
    name: 'borderline slow',
    why: 'About 115 WPM: the borderline rule passes it, with a note that it is a little slow.',
    question: priorities,
    transcript:
      'On a night shift last winter I was covering two wards. Within ten minutes I had three urgent calls: chest pain, a low blood sugar, and a family wanting an update. ' +
      'I needed to decide what could wait. I prioritised the low sugar and asked the nurse to give glucose, because that takes minutes. ' +
      'Then I examined the patient with chest pain, did an ECG, and paged the registrar. ' +
      'I called the family forty minutes later and explained the delay. ' +
      'As a result, both patients were stable within the hour.',
    spokenDurationS: 47,
    expected: flagged(['length']),
  },
  {
    name: 'borderline fast',
    why: 'About 175 WPM: the borderline rule passes it, with a note that it is a little fast.',
    question: priorities,
    transcript:
      'On a night shift last winter I was covering two wards. Within ten minutes I had three urgent calls: chest pain, a low blood sugar, and a family wanting an update. ' +
      'I needed to decide what could wait. I prioritised the low sugar and asked the nurse to give glucose, because that takes minutes. ' +
      'Then I examined the patient with chest pain, did an ECG, and paged the registrar. ' +
      'I called the family forty minutes later and explained the delay. ' +
      'As a result, both patients were stable within the hour.',
    spokenDurationS: 31,
    expected: flagged(['length']),
  },
  {
    name: 'result buried mid-answer',
    why: 'States the outcome halfway, then closes on an unrelated remark: structure passes, the closing result flags.',
    question: lead,
    transcript:
      'Last year I led a team of four volunteers running a weekly food bank at our community centre. ' +
      'The goal was to cut the queue, which often stretched to ninety minutes in the cold. ' +
      'I decided to split the distribution into two time slots by surname and I set up a simple text reminder for each family. ' +
      'I also trained two volunteers to pre-pack the standard boxes on Friday evening. ' +
      'As a result, the longest wait dropped to twenty minutes within a month. ' +
      'The centre itself is an old church hall, and it is quite cold in winter, and the heating has been broken for most of the year.',
    spokenDurationS: 45,
    expected: flagged(['result', 'length']),
  },
  {
    name: '"like" and "kind of" used as ordinary words',
    why: '"would like", "felt like a team", "what kind of support" are not fillers or hedges.',
    question: team,
    transcript:
      'During my third year placement, our ward team felt like a group of strangers: the day and night staff barely spoke at handover. ' +
      'My role was to help with handover as the junior doctor. I asked the nurses what kind of information they needed at night, ' +
      'and I wrote a one-page checklist with them. I would like to say it was my idea, but the charge nurse suggested it first. ' +
      'We tested it for four weeks and I collected comments from both shifts. ' +
      'As a result, handovers went from 45 minutes to 25, and the night team said they felt like part of the same team.',
    spokenDurationS: 40,
    expected: flagged(['length']),
  },
  {
    name: 'an unpunctuated transcript',
    why: 'Speech-to-text without punctuation: one long "sentence"; the closing words still state the result.',
    question: patient,
    transcript:
      'last spring I was working in the emergency department when a man became very upset because his mother had waited six hours to be seen ' +
      'he was shouting at the reception staff and my task was to calm things down so I asked him to sit with me in the relatives room ' +
      'I listened without interrupting for about five minutes and then I explained where his mother was in the queue and why two ambulances had come in first ' +
      'I checked her observations myself and asked the nurse in charge to move her to a cubicle with a chair for him ' +
      'and I came back every hour with an update as a result he calmed down and thanked the staff and his mother was seen within forty minutes',
    spokenDurationS: 57,
    expected: flagged(['length']),
  },
  {
    name: 'vague and generic',
    why: 'Qualities claimed, nothing done or counted: no STAR cues, no numbers, no concrete actions, no result.',
    question: why,
    transcript:
      'I am a hard-working and motivated person, and I have always been passionate about helping people. ' +
      'I am a great team player and I communicate well, and I believe this role would be a good fit for my skills and experience. ' +
      'I really want to grow and develop in a supportive environment, and this seems like a great opportunity for me. ' +
      'I am sure I would make a positive contribution to the team.',
    spokenDurationS: 30,
    expected: flagged(['structure', 'specificity', 'result', 'length']),
  },
  {
    name: 'a sign-off after the result',
    why: 'Closes with "So yeah, that’s it." after the result: the sign-off is skipped and the result counts.',
    question: improve,
    transcript:
      'When I was a pharmacy assistant, prescriptions for the care homes we supplied were checked twice by hand, which took most of every Monday. ' +
      'My task was to improve the process without making it less safe. I compared the two checks and found they covered the same 12 items. ' +
      'I proposed one combined checklist, I drafted it with the pharmacist, and we tested it side by side with the old checks for three weeks. ' +
      'We found no error the new list missed, so the manager approved it. ' +
      'As a result, Monday checking went from about six hours to three and a half. So yeah, that’s it.',
    spokenDurationS: 40,
    expected: flagged(['length']),
  },
  {
    name: 'fillers right at the limit',
    why: 'Two fillers in one minute is within "at most 2 per minute".',
    question: feedback,
    transcript:
      'In my first year as a nurse, my ward manager told me my handovers were too long and hard to follow, which was hard to hear. ' +
      'Um, she said the night team was missing the important points. My task was to fix that before my appraisal. ' +
      'I asked her for two examples and I rewrote my handover notes using a short structure: situation, background, assessment and recommendation. ' +
      'I practised it with a colleague for a week and I timed each handover. ' +
      'You know, it felt slow at first. As a result, my handovers dropped from about 20 minutes to 8, and the night team said they were clearer.',
    spokenDurationS: 60,
    expected: flagged(['length']),
  },
  {
    name: 'hedges but few: not flagged',
    why: 'One "maybe" and one "probably" in over a minute: hedging stays within its rule.',
    question: mistake,
    transcript:
      'In my first month on the wards I sent a patient for a scan without checking her kidney function, and the scan needed contrast. ' +
      'That was my mistake, nobody else’s: I was rushing and I skipped the check. ' +
      'The radiographer noticed and stopped the scan, so maybe no harm was done, but it probably delayed her diagnosis by a day. ' +
      'I told my consultant the same afternoon, and I apologised to the patient and explained the delay. ' +
      'I learned to never order a contrast scan without the blood results in front of me, and I made a checklist for the 3 things I check before every scan request. ' +
      'Since then I have used that checklist for every scan I have ordered, and I taught it to the new juniors when they started.',
    spokenDurationS: 68,
    expected: flagged(['length']),
  },
  {
    name: 'a halting, filler-heavy answer that never gets to the point',
    why: 'Slow, full of "um" and "you know", names a problem (so it is on the topic) but not one step taken to solve it, and no result.',
    question: problem,
    transcript:
      'Um, so, yeah, problems, um, I have had a few, you know, like everybody. Uh, basically there was this one time at work where, um, ' +
      'the, the system was down and, you know, nobody knew what to do. And, uh, it was really stressful, you know, and people were, like, panicking. ' +
      'Um, and then later it came back. I think it was the server or something.',
    spokenDurationS: 45,
    expected: flagged(['pace', 'fillers', 'structure', 'specificity', 'length', 'result']),
  },
];
