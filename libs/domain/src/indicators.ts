import { isOneOf } from '../../consent-policy/index.js';

/**
 * Indicator codes from the checklist in seed 002 (Step 1: initial detection and screening).
 * Indicators are warning signs to be read in context, never proof; recording them never asks
 * anyone to investigate.
 */
export const INDICATOR_CODES = [
  // Contextual analysis: circumstances in which trafficking may thrive.
  'context.organized_crime_present',
  'context.high_demand_labour_sectors',
  'context.male_dominated_sectors',
  'context.exploitative_recruitment_practices',
  'context.tolerance_of_abusive_practices',
  'context.family_reliance_on_child_income',
  'context.weak_rule_of_law',
  'context.armed_groups_present',
  'context.international_forces_present',
  // Social and self-identity.
  'social.fearful_or_anxious',
  'social.disoriented_or_confused',
  'social.substance_use',
  'social.scripted_or_inconsistent_story',
  'social.limited_contact_with_family',
  'social.distrusts_authorities',
  'social.apprehensive_of_police',
  'social.reluctant_to_receive_help',
  // Working conditions.
  'work.forced_to_work',
  'work.unpaid_or_underpaid',
  'work.excessive_hours',
  'work.unsafe_conditions',
  'work.no_breaks_or_unusual_restrictions',
  'work.high_security_at_site',
  'work.lives_at_work_site',
  'work.work_differs_from_promised',
  'work.abuse_by_supervisor',
  'work.forced_quotas',
  'work.debt_from_fees_and_fines',
  'work.forced_sex_work',
  'work.contract_in_unreadable_language',
  // Physical conditions.
  'physical.poor_hygiene_or_malnourishment',
  'physical.signs_of_abuse_or_confinement',
  'physical.untreated_injuries_or_illness',
  'physical.unsuitable_clothing',
  'physical.age_inappropriate_clothing',
  'physical.concerned_with_surveillance',
  // Lack of control.
  'control.not_free_to_leave',
  'control.unable_to_stop_sex_work',
  'control.accompanied_and_spoken_for',
  'control.movements_monitored',
  'control.no_control_of_money',
  'control.no_control_of_documents',
  'control.fears_speaking_for_self',
  'control.reluctant_to_describe_situation',
  'control.does_not_know_location',
  'control.belongings_taken',
  'control.threatened_with_deportation',
  // Specific to children.
  'child.working_not_in_school',
  'child.excessive_working_hours',
  'child.no_access_to_guardians',
  'child.no_friends_of_same_age',
  'child.no_time_for_play',
  'child.travels_without_guardians',
  'child.not_related_to_household',
  'child.near_armed_groups',
  'child.behaviour_not_typical_of_age',
  'child.petty_crime_or_gang_influence',
  'child.frequently_intoxicated',
  'child.unexplained_gifts',
  'child.begging_without_keeping_money',
] as const;
export type IndicatorCode = (typeof INDICATOR_CODES)[number];

export const isIndicatorCode = isOneOf(INDICATOR_CODES);
