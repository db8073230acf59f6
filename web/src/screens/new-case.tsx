import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { type AgeBand, type AgeGroup, type Indicator, type OpenCaseBody, type Sex, type Source, codes } from '../api/types';
import { useWords } from '../i18n';
import { caseCodes } from '../messages/case-codes';
import { INDICATOR_GROUPS, indicatorWords } from '../messages/indicators';
import { newCaseWords } from '../messages/new-case';
import { go } from '../router';
import { SubmitStatus, useSubmit } from '../submit';
import { CheckList } from './form-parts';

/** What the form holds; personal fields stay in memory only and are sent once, with the case. */
interface Detection {
  source: Source;
  ageGroup: AgeGroup;
  indicators: Indicator[];
  fullName: string;
  sex: Sex | '';
  ageBand: AgeBand | '';
  area: string;
}

const EMPTY: Detection = { source: 'observation', ageGroup: 'adult', indicators: [], fullName: '', sex: '', ageBand: '', area: '' };

/** The person's data as the API takes it: a category only when something was entered for it. */
function personOf(d: Detection): OpenCaseBody['person'] {
  const person: NonNullable<OpenCaseBody['person']> = {
    ...(d.fullName.trim() ? { identity: { fullName: d.fullName.trim() } } : {}),
    ...(d.sex && d.ageBand ? { demographics: { sex: d.sex, ageBand: d.ageBand } } : {}),
    ...(d.area.trim() ? { location: { area: d.area.trim() } } : {}),
  };
  return Object.keys(person).length > 0 ? person : undefined;
}

/** A frontline detection becomes a case: how it came, who the person is (adult or child), the indicators seen, the least data needed. */
export function NewCase() {
  const w = useWords(newCaseWords);
  const c = useWords(caseCodes);
  const ind = useWords(indicatorWords);
  const [d, setD] = useState<Detection>(EMPTY);
  const submit = useSubmit();
  const set = <K extends keyof Detection>(k: K, v: Detection[K]) => setD({ ...d, [k]: v });
  const halfDemographics = (d.sex === '') !== (d.ageBand === '');

  const open = async () => {
    const person = personOf(d);
    const body: OpenCaseBody = { source: d.source, ageGroup: d.ageGroup, indicators: d.indicators, ...(person ? { person } : {}) };
    const opened = await submit.send((header) => api.POST('/cases', { params: { header }, body }));
    if (opened?.caseId) go(`/cases/${opened.caseId}`);
  };

  return (
    <main>
      <h1>{w.title}</h1>
      <p class="notice">{w.intro}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!halfDemographics) void open();
        }}
      >
        <label for="source">{w.source}</label>
        <select id="source" value={d.source} onChange={(e) => set('source', e.currentTarget.value as Source)}>
          {codes(c.source).map((code) => (
            <option key={code} value={code}>
              {c.source[code]}
            </option>
          ))}
        </select>
        <fieldset>
          <legend>{w.ageGroup}</legend>
          {codes(c.ageGroup).map((code) => (
            <label class="choice" key={code}>
              <input type="radio" name="age-group" checked={d.ageGroup === code} onChange={() => set('ageGroup', code)} />
              {c.ageGroup[code]}
            </label>
          ))}
          <p class="hint">{w.childNote}</p>
        </fieldset>
        <h2>{w.indicators}</h2>
        <p class="hint">{w.indicatorsHint}</p>
        {INDICATOR_GROUPS.map((group) => (
          <CheckList
            key={group}
            legend={ind[`group.${group}`]}
            options={codes(ind).filter((code): code is Indicator => code.startsWith(`${group}.`))}
            words={ind}
            chosen={d.indicators}
            onChange={(indicators) => set('indicators', indicators)}
          />
        ))}
        <fieldset>
          <legend>{w.person}</legend>
          <label for="full-name">{w.fullName}</label>
          <input id="full-name" autocomplete="off" value={d.fullName} onInput={(e) => set('fullName', e.currentTarget.value)} />
          <label for="sex">{w.sex}</label>
          <select id="sex" value={d.sex} onChange={(e) => set('sex', e.currentTarget.value as Sex | '')}>
            <option value="">{w.notRecorded}</option>
            {codes(c.sex).map((code) => (
              <option key={code} value={code}>
                {c.sex[code]}
              </option>
            ))}
          </select>
          <label for="age-band">{w.ageBand}</label>
          <select id="age-band" value={d.ageBand} onChange={(e) => set('ageBand', e.currentTarget.value as AgeBand | '')}>
            <option value="">{w.notRecorded}</option>
            {codes(c.ageBand).map((code) => (
              <option key={code} value={code}>
                {c.ageBand[code]}
              </option>
            ))}
          </select>
          {halfDemographics && (
            <p class="problem" role="alert">
              {w.demographicsPair}
            </p>
          )}
          <label for="area">{w.area}</label>
          <input id="area" autocomplete="off" value={d.area} onInput={(e) => set('area', e.currentTarget.value)} />
        </fieldset>
        <SubmitStatus submit={submit} />
        <div class="actions">
          <button type="submit" disabled={submit.busy || halfDemographics}>
            {w.open}
          </button>
          <a class="button secondary" href="#/cases">
            {w.cancel}
          </a>
        </div>
      </form>
    </main>
  );
}
