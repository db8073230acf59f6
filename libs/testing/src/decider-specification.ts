import { expect } from '@jest/globals';

export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** `given(events).when(command).then(events)` / `.thenThrows(shape)` for a pure decider. */
export function deciderSpecification<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return {
    given(events: readonly Event[]) {
      return {
        when(command: Command) {
          const run = () => decider.decide(command, events.reduce((state, event) => decider.evolve(state, event), decider.initialState()));
          return {
            then(expected: readonly Event[]): void {
              expect(run()).toEqual(expected);
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
