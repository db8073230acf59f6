import { expect } from '@jest/globals';

export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

export interface DeciderOutcome<Event> {
  /** Decided exactly these events, in this order. */
  then(expected: readonly Event[]): void;
  /** Decided events that pass `assert`, for a test that checks only what it is about. */
  then(assert: (events: Event[]) => void): void;
  /** Decided no events at all, and refused nothing. */
  thenNothingHappened(): void;
  thenThrows(shape: Record<string, unknown>): void;
}

/** `given(events).when(command).then(events | assert)` / `.thenNothingHappened()` / `.thenThrows(shape)` for a pure decider. */
export function deciderSpecification<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return {
    given(events: readonly Event[]) {
      return {
        when(command: Command): DeciderOutcome<Event> {
          const run = () =>
            decider.decide(
              command,
              events.reduce((state, event) => decider.evolve(state, event), decider.initialState()),
            );
          return {
            then(expected: readonly Event[] | ((events: Event[]) => void)): void {
              if (typeof expected === 'function') expected(run());
              else expect(run()).toEqual(expected);
            },
            thenNothingHappened(): void {
              expect(run()).toEqual([]);
            },
            thenThrows(shape: Record<string, unknown>): void {
              let decided: Event[];
              try {
                decided = run();
              } catch (error) {
                expect(error).toMatchObject(shape);
                return;
              }
              throw new Error(`expected a rejection like ${JSON.stringify(shape)}, but the decider emitted ${JSON.stringify(decided)}`);
            },
          };
        },
      };
    },
  };
}
