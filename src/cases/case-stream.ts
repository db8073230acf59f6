/** The one place that knows how a case's events are named in the event store. */
const PREFIX = 'case-';

/** The stream holding every event of the case. */
export const caseStream = (caseId: string): string => `${PREFIX}${caseId}`;

/** The case whose stream this is; undefined for a stream that is not a case's. */
export const caseIdOf = (streamId: string): string | undefined => (streamId.startsWith(PREFIX) ? streamId.slice(PREFIX.length) : undefined);
