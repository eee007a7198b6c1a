"""The words of the demo's concerns: invented disagreements of the kinds partnerships see.

Children appear only by initials (chosen per concern) and an age. Each story names the two
agencies by their slug in `demo.people.AGENCIES`.
"""

from __future__ import annotations

from dataclasses import dataclass

from concerns.models.concern import Category, Decision, LevelOfNeed

CURIOSITY = "Professional curiosity"
DISGUISED = "Disguised compliance"
ESCALATION = "Escalation practice"
BEREAVEMENT = "Death of a significant family member (bereavement)"
RISK_PROCESSES = "Understanding other agencies' risk assessment processes"
DOMESTIC_ABUSE = "Domestic abuse"
CAPACITY = "Reduced contact or capacity (pandemic impact)"
HEALTH_NEEDS = "Complex health needs"
CONSISTENT = (
    "Consistent safeguarding approaches (Think Family Work Family, Was Not Brought, Early Help)"
)
VOICE = "Voice of the child"


@dataclass(frozen=True)
class DemoStory:
    key: str
    raising: str
    receiving: str
    category: str
    level_of_need: str
    age: int | None  # None: an unborn baby
    summary: str
    outcome_sought: str
    child_voice: str
    themes: tuple[str, ...]
    issue: str  # "the disagreement about ...", for the notes of later stages
    raising_position: str
    receiving_position: str
    first_talk: str
    first_agreed: str
    managers_talk: str
    managers_agreed: str
    outcome: str
    action: str
    decision: str = Decision.CHANGED


STORIES: tuple[DemoStory, ...] = (
    DemoStory(
        key="threshold_neglect",
        raising="community-health",
        receiving="social-work",
        category=Category.REFERRAL_THRESHOLD,
        level_of_need=LevelOfNeed.CHILD_IN_NEED,
        age=2,
        summary=(
            "Referral about a two-year-old's home conditions, missed immunisations and the "
            "mother's low mood was signposted to early help without an assessment."
        ),
        outcome_sought="A child and family assessment, and a visit within ten working days.",
        child_voice=(
            "At the last visit the child was hungry, took food from the visitor's bag and did "
            "not go to their mother for comfort when they fell."
        ),
        themes=(CURIOSITY, CONSISTENT),
        issue="whether the referral meets the threshold for a child and family assessment",
        raising_position="The cumulative neglect indicators meet the threshold for assessment.",
        receiving_position="Early help is proportionate; the mother has agreed to a GP review.",
        first_talk=(
            "Explained the three home visits since March: no food in the fridge, dog mess on "
            "the floor, child in a soiled nappy. The duty worker had only the referral form."
        ),
        first_agreed="The duty worker will take the visit notes to the front door manager.",
        managers_talk=(
            "Managers reviewed the chronology together. Social care accepted the pattern had "
            "not been visible from a single referral."
        ),
        managers_agreed="Health to send the full chronology; social care to review the decision.",
        outcome=(
            "Social care will complete a child and family assessment; health visiting will "
            "increase contact to fortnightly while it is under way."
        ),
        action="Allocate a social worker and complete a child and family assessment.",
    ),
    DemoStory(
        key="encompass_notification",
        raising="beckside-primary",
        receiving="west-yorkshire-police",
        category=Category.INFORMATION_SHARING,
        level_of_need=LevelOfNeed.CHILD_IN_NEED,
        age=8,
        summary=(
            "Police attended a domestic incident at the child's home on Saturday night; the "
            "school was not told before the school day on Monday."
        ),
        outcome_sought="Notifications to reach the school before 9am on the next school day.",
        child_voice=(
            "The child told their teacher 'Daddy was shouting and the police came' and asked "
            "to stay inside at break."
        ),
        themes=(DOMESTIC_ABUSE, VOICE),
        issue="the late domestic abuse notification to the school",
        raising_position="The school could not support the child on the day it mattered.",
        receiving_position="The notification was delayed by a weekend staffing gap.",
        first_talk=(
            "Spoke to the officer who attended. The notification was queued but not sent "
            "because the address did not match the school's records."
        ),
        first_agreed="The officer will check how addresses are matched to schools.",
        managers_talk=(
            "Sergeant confirmed two other notifications that weekend were also late; the "
            "matching fault is known to the hub."
        ),
        managers_agreed="Police to share the fix date; school DSL to check for missed notices.",
        outcome=(
            "Police have corrected the address matching and will phone the DSL when a "
            "notification cannot be sent electronically before 9am."
        ),
        action="Fix the school address matching and confirm the date to the partnership.",
    ),
    DemoStory(
        key="was_not_brought",
        raising="parkside-medical",
        receiving="social-work",
        category=Category.ASSESSMENT_OUTCOME,
        level_of_need=LevelOfNeed.CHILD_IN_NEED,
        age=5,
        summary=(
            "A child and family assessment closed with no further action although the child "
            "was not brought to four dental and audiology appointments."
        ),
        outcome_sought="The assessment reopened with the missed appointments considered.",
        child_voice=(
            "The child told the practice nurse their teeth hurt when they eat and pointed to "
            "the ones that keep them awake."
        ),
        themes=(CONSISTENT, HEALTH_NEEDS),
        issue="the assessment outcome despite repeated missed health appointments",
        raising_position="Was Not Brought is neglect of health needs and was not weighed.",
        receiving_position="The parent gave reasons for each missed appointment.",
        first_talk=(
            "Talked through the dental letters and audiology discharge with the social worker, "
            "who had not seen them at the time of the assessment."
        ),
        first_agreed="Practice to send the letters; social worker to discuss with their manager.",
        managers_talk=(
            "Team manager agreed the assessment relied on the parent's account alone and no "
            "health agency was asked for information."
        ),
        managers_agreed="Social care to reopen the assessment and ask every health agency.",
        outcome="The assessment is reopened and will include information from all health staff.",
        action="Reopen the child and family assessment and request health information.",
    ),
    DemoStory(
        key="infant_bruise",
        raising="teaching-hospitals",
        receiving="social-work",
        category=Category.CHILD_PROTECTION_PROCEDURES,
        level_of_need=LevelOfNeed.CHILD_PROTECTION,
        age=0,
        summary=(
            "A four-month-old, not yet mobile, was seen with a bruise to the cheek. The "
            "hospital asked for a strategy discussion; social care accepted the explanation."
        ),
        outcome_sought="A strategy discussion under the bruising in non-mobile babies protocol.",
        child_voice=(
            "Too young to speak: ward staff noted the baby was quiet and watchful, fed hungrily "
            "and settled with the nurses."
        ),
        themes=(CURIOSITY, RISK_PROCESSES),
        issue="the decision not to hold a strategy discussion for a bruised non-mobile baby",
        raising_position="The protocol requires a strategy discussion for any bruise.",
        receiving_position="The explanation was consistent and the family are known and stable.",
        first_talk=(
            "Reminded the duty social worker of the non-mobile babies protocol; they had "
            "recorded the bruise as accidental after speaking to the father."
        ),
        first_agreed="Duty worker to ask their manager to review against the protocol.",
        managers_talk=(
            "Front door manager accepted the protocol applies whatever the explanation and "
            "agreed the decision should not have been made by phone."
        ),
        managers_agreed=(
            "Strategy discussion to be convened today with police and the paediatrician."
        ),
        outcome=(
            "A strategy discussion was held; a child protection medical and section 47 "
            "enquiries followed."
        ),
        action="Remind front door staff of the bruising protocol at the next team briefing.",
    ),
    DemoStory(
        key="school_nursing_capacity",
        raising="moorview-high",
        receiving="community-health",
        category=Category.SERVICE_PROVISION,
        level_of_need=LevelOfNeed.CHILD_IN_NEED,
        age=14,
        summary=(
            "School nursing support for a pupil with poorly controlled type 1 diabetes stopped "
            "this term because of staff shortages, with no plan handed to the school."
        ),
        outcome_sought="A named school nurse and an updated health care plan.",
        child_voice=(
            "The young person said they skip injections at school because they do not want "
            "friends to see, and felt 'nobody checks anyway'."
        ),
        themes=(HEALTH_NEEDS, CAPACITY),
        issue="the withdrawal of school nursing support for a pupil with diabetes",
        raising_position="The school cannot safely manage the condition without nursing input.",
        receiving_position="The caseload was prioritised and the diabetes team remains involved.",
        first_talk=(
            "School nurse explained the caseload review; the pupil had been rated lower risk "
            "because hospital clinic attendance was good."
        ),
        first_agreed="School to send the attendance and incident log from this term.",
        managers_talk=(
            "Team leader agreed the rating used out-of-date information and that two hypos in "
            "school had not been shared with them."
        ),
        managers_agreed="Nursing to re-rate the case and meet the pupil within two weeks.",
        outcome="A named school nurse will update the health care plan with the pupil and school.",
        action="Re-rate the case, name a school nurse and update the health care plan.",
    ),
    DemoStory(
        key="cin_plan_drift",
        raising="harbour-family-support",
        receiving="social-work",
        category=Category.PLAN_IMPLEMENTATION,
        level_of_need=LevelOfNeed.CHILD_IN_NEED,
        age=6,
        summary=(
            "Child in need plan actions (housing support letter, parenting course referral) "
            "are not done and two core group meetings were cancelled."
        ),
        outcome_sought="A core group meeting within two weeks and the plan actions completed.",
        child_voice=(
            "The child drew their home with no beds and said they sleep on the sofa with their "
            "sister."
        ),
        themes=(ESCALATION, DISGUISED),
        issue="the drift in the child in need plan",
        raising_position="The plan is not being delivered and the family's situation is worse.",
        receiving_position="The social worker changed and the new worker needed to catch up.",
        first_talk=(
            "New social worker had not received the handover notes. Went through the plan "
            "actions one by one and who owns each."
        ),
        first_agreed="Social worker to send the housing letter this week and book a core group.",
        managers_talk=(
            "Team manager confirmed the case had been unallocated for five weeks and that the "
            "family had not been visited."
        ),
        managers_agreed="Core group to be booked; the plan reviewed at the next meeting.",
        outcome="A core group meeting is booked and each plan action has an owner and date.",
        action="Hold a core group meeting and review the child in need plan.",
    ),
    DemoStory(
        key="strategy_attendance",
        raising="west-yorkshire-police",
        receiving="moorview-high",
        category=Category.ROLES_AND_RESPONSIBILITIES,
        level_of_need=LevelOfNeed.CHILD_PROTECTION,
        age=15,
        summary=(
            "The school did not join a strategy discussion about a pupil missing from home "
            "overnight and declined to share attendance records without a written request."
        ),
        outcome_sought="School attendance at strategy discussions and prompt information sharing.",
        child_voice=(
            "When found, the young person told the officer they would 'rather be anywhere "
            "than at home'."
        ),
        themes=(RISK_PROCESSES, VOICE),
        issue="the school's part in strategy discussions for missing pupils",
        raising_position="Schools are key partners and hold the best attendance information.",
        receiving_position="The invitation came with an hour's notice during lessons.",
        first_talk=(
            "Pastoral lead explained the invitation came to a general inbox. Agreed the "
            "attendance pattern was important and should have been shared."
        ),
        first_agreed="School to share attendance today; police to use the DSL's direct line.",
        managers_talk=(
            "DSL and sergeant agreed strategy invitations go to the DSL and a deputy by phone "
            "as well as email."
        ),
        managers_agreed="Police to update the school's contact details on their system.",
        outcome="Strategy invitations will be phoned to the DSL; attendance shared the same day.",
        action="Update the school's safeguarding contacts on the police system.",
        decision=Decision.PARTLY_CHANGED,
    ),
    DemoStory(
        key="gp_information",
        raising="social-work",
        receiving="parkside-medical",
        category=Category.INFORMATION_SHARING,
        level_of_need=LevelOfNeed.CHILD_IN_NEED,
        age=9,
        summary=(
            "Three requests for health information for a child and family assessment had no "
            "reply from the practice within the assessment timescale."
        ),
        outcome_sought="The health information within five working days.",
        child_voice="In direct work the child said they worry about their mum being poorly.",
        themes=(ESCALATION,),
        issue="the unanswered requests for health information",
        raising_position="The assessment cannot be completed safely without health information.",
        receiving_position="The requests went to a closed mailbox and were not seen.",
        first_talk=(
            "Practice nurse found the requests in an old shared mailbox that nobody monitors "
            "since the practice merged."
        ),
        first_agreed="Practice to reply within five working days.",
        managers_talk=(
            "Safeguarding lead GP agreed to redirect the old mailbox and check for other "
            "requests sent there."
        ),
        managers_agreed="Practice to send the information and audit the old mailbox.",
        outcome=(
            "The information was shared; the old mailbox now redirects to the safeguarding lead."
        ),
        action="Audit the old mailbox for unanswered safeguarding requests.",
        decision=Decision.UPHELD,
    ),
    DemoStory(
        key="neurology_not_brought",
        raising="community-health",
        receiving="teaching-hospitals",
        category=Category.NON_ATTENDANCE,
        level_of_need=LevelOfNeed.EARLY_HELP,
        age=11,
        summary=(
            "A child with epilepsy was discharged back to the GP after three missed neurology "
            "appointments; the school nurse was not told."
        ),
        outcome_sought="The child reinstated to clinic and Was Not Brought followed up.",
        child_voice=(
            "The child told the school nurse they had two seizures in the playground this term "
            "and are scared of having one in class."
        ),
        themes=(CONSISTENT, HEALTH_NEEDS),
        issue="the discharge of a child with epilepsy after missed appointments",
        raising_position="A child cannot take themselves to clinic: this is Was Not Brought.",
        receiving_position="The discharge followed the trust's missed-appointment policy.",
        first_talk=(
            "Clinic nurse said the policy discharges after three missed appointments unless a "
            "safeguarding flag is present; there was none on this record."
        ),
        first_agreed="Clinic to ask the consultant to review the discharge.",
        managers_talk=(
            "Safeguarding lead nurse agreed the policy should treat children differently and "
            "will take it to the trust's safeguarding committee."
        ),
        managers_agreed="Reinstate the child; review the missed-appointment policy for children.",
        outcome="The child is back on the clinic list and the trust is revising its policy.",
        action="Reinstate the child to neurology clinic and send a new appointment.",
    ),
    DemoStory(
        key="early_help_step_down",
        raising="beckside-primary",
        receiving="social-work",
        category=Category.ASSESSMENT_OUTCOME,
        level_of_need=LevelOfNeed.EARLY_HELP,
        age=7,
        summary=(
            "Social care stepped the family down to early help after the parent engaged well "
            "at two planned visits; the school sees no change at all."
        ),
        outcome_sought="The child in need plan to continue until change is sustained.",
        child_voice=(
            "The child often arrives without a coat, asks to stay in at lunchtime and said "
            "'Mum's friend is at our house a lot'."
        ),
        themes=(DISGUISED, CURIOSITY),
        issue="the step down to early help",
        raising_position="Engagement at planned visits is not change for the child.",
        receiving_position="The parent has met every plan action and asked for early help.",
        first_talk=(
            "Shared the school's log of lateness, hunger and the new adult in the home. The "
            "social worker had not heard about the new adult."
        ),
        first_agreed="Social worker to make an unannounced visit before the step down.",
        managers_talk=(
            "Team manager agreed to pause the step down until checks on the new adult are done."
        ),
        managers_agreed="Pause step down; police checks on the adult in the home.",
        outcome="The step down is paused; the plan continues for three months with a review.",
        action="Complete checks on the adult in the home and review the plan in three months.",
        decision=Decision.PARTLY_CHANGED,
    ),
    DemoStory(
        key="pre_birth_domestic_abuse",
        raising="teaching-hospitals",
        receiving="west-yorkshire-police",
        category=Category.INFORMATION_SHARING,
        level_of_need=LevelOfNeed.CHILD_PROTECTION,
        age=None,
        summary=(
            "For a pre-birth assessment, the police have not shared the partner's domestic "
            "abuse history, saying a data protection request is needed first."
        ),
        outcome_sought="The domestic abuse history shared for the pre-birth assessment.",
        child_voice=(
            "Unborn baby: the mother said she wants to keep the baby safe but is frightened of "
            "how her partner will react to the assessment."
        ),
        themes=(DOMESTIC_ABUSE, RISK_PROCESSES),
        issue="sharing the partner's domestic abuse history for the pre-birth assessment",
        raising_position="Safeguarding an unborn baby is a lawful basis to share without consent.",
        receiving_position="Disclosure of a third party's history needs an approved request.",
        first_talk=(
            "Spoke to the hub officer, who had followed the disclosure process for solicitors "
            "rather than the one for safeguarding partners."
        ),
        first_agreed="Officer to check the right process with their sergeant.",
        managers_talk=(
            "Sergeant agreed safeguarding partners do not need a data protection request and "
            "apologised for the delay."
        ),
        managers_agreed="Police to share the history by secure email within two working days.",
        outcome="The history was shared and the pre-birth assessment now includes it.",
        action="Brief hub staff on sharing with safeguarding partners without a request.",
    ),
    DemoStory(
        key="bereavement_missing",
        raising="west-yorkshire-police",
        receiving="social-work",
        category=Category.REFERRAL_THRESHOLD,
        level_of_need=LevelOfNeed.CHILD_IN_NEED,
        age=13,
        summary=(
            "After their father's death the young person has been missing three times in a "
            "month; social care declined an assessment and logged missing episodes only."
        ),
        outcome_sought="An assessment that considers bereavement and exploitation risk.",
        child_voice=(
            "The young person told the return interview worker that 'nobody talks about Dad at "
            "home' and that older friends 'get it'."
        ),
        themes=(BEREAVEMENT, VOICE),
        issue="the decision not to assess a bereaved child going missing",
        raising_position="Repeat missing episodes after a bereavement signal exploitation risk.",
        receiving_position="Each episode was short and the young person returned home safely.",
        first_talk=(
            "Shared the return interview notes with the duty worker, including the older "
            "friends and the new phone."
        ),
        first_agreed="Duty worker to ask the exploitation team to screen the case.",
        managers_talk=(
            "Manager agreed the episodes had been looked at one by one rather than as a "
            "pattern after the bereavement."
        ),
        managers_agreed="Social care to assess; a bereavement service referral to be offered.",
        outcome="An assessment is under way and the young person has a bereavement worker.",
        action="Complete the assessment including an exploitation screening.",
    ),
    DemoStory(
        key="family_support_closed",
        raising="social-work",
        receiving="harbour-family-support",
        category=Category.SERVICE_PROVISION,
        level_of_need=LevelOfNeed.CHILD_IN_NEED,
        age=4,
        summary=(
            "The family support service closed the case for non-engagement, but the child in "
            "need plan depends on its weekly sessions."
        ),
        outcome_sought="The family support sessions restarted with a shared engagement plan.",
        child_voice="Nursery staff say the child has started hiding food in their coat.",
        themes=(CONSISTENT, ESCALATION),
        issue="the closure of family support while the plan relies on it",
        raising_position="Closing the service removes the only weekly contact with the family.",
        receiving_position="Four sessions were missed and letters were not answered.",
        first_talk=(
            "Family support worker explained the closure letter; they had not known the "
            "mother started a new job with shifts on session days."
        ),
        first_agreed="Worker to offer evening sessions if the manager agrees.",
        managers_talk="Service manager agreed evening sessions for eight weeks.",
        managers_agreed="Reopen the case with evening sessions and review at the core group.",
        outcome="The sessions restart in the evenings and engagement will be reviewed together.",
        action="Reopen the family support case and offer evening sessions.",
    ),
    DemoStory(
        key="pre_birth_lead",
        raising="community-health",
        receiving="teaching-hospitals",
        category=Category.ROLES_AND_RESPONSIBILITIES,
        level_of_need=LevelOfNeed.EARLY_HELP,
        age=None,
        summary=(
            "Neither the midwives nor health visiting will lead the pre-birth discharge "
            "planning for a young mother; each says the other holds the case."
        ),
        outcome_sought="A named lead and a discharge planning meeting before 36 weeks.",
        child_voice=(
            "Unborn baby: the mother, 17, said she does not know who to ask for help once the "
            "baby is born."
        ),
        themes=(RISK_PROCESSES, HEALTH_NEEDS),
        issue="who leads pre-birth discharge planning",
        raising_position="Antenatal care is with the midwives until discharge.",
        receiving_position="Health visiting holds vulnerable families from 28 weeks.",
        first_talk=(
            "Midwife and health visitor went through the two trusts' guidance; they say "
            "different things about who leads before birth."
        ),
        first_agreed="Both to ask their leads which guidance applies.",
        managers_talk=(
            "Named midwife and team leader agreed the midwife leads until discharge with a "
            "joint visit at 32 weeks."
        ),
        managers_agreed="Joint visit at 32 weeks; midwife leads the discharge planning meeting.",
        outcome="The midwife leads until discharge; a joint visit and a planning meeting are set.",
        action="Hold a joint antenatal visit at 32 weeks and a discharge planning meeting.",
        decision=Decision.PARTLY_CHANGED,
    ),
)

BY_KEY = {story.key: story for story in STORIES}
