import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn } from 'class-validator';
import { DATA_CATEGORIES } from '../../libs/consent-policy/index.js';
import { INDICATOR_CODES } from '../../libs/domain/index.js';

/** Free text is personal by nature: kept short, and sealed before it is stored. */
export const NOTE_MAX = 2000;

/**
 * Applies decorators as if stacked on the property in the order written: the last first, as TypeScript does,
 * so validation messages keep the order they had.
 */
export function stacked(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => {
    for (const decorate of [...decorators].reverse()) decorate(target, key);
  };
}

/** A non-empty set of data categories. */
export const IsCategoryList = (): PropertyDecorator =>
  stacked(IsArray(), ArrayMinSize(1), ArrayUnique(), IsIn(DATA_CATEGORIES, { each: true }));

/** A set of warning signs from the indicator checklist. */
export const IsIndicatorList = (): PropertyDecorator =>
  stacked(IsArray(), ArrayMaxSize(INDICATOR_CODES.length), ArrayUnique(), IsIn(INDICATOR_CODES, { each: true }));
