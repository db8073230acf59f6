import { ValidateBy, type ValidationOptions } from 'class-validator';
import { isCalendarDate, isInstant } from '../../libs/time/index.js';

/**
 * Validation through the same reader the service interprets dates with (libs/time): a value
 * passes exactly when it will be read, and read as what it says.
 */
export const IsInstant = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isInstant',
      validator: {
        validate: (value) => isInstant(value),
        defaultMessage: () => '$property must be an RFC 3339 date-time with an offset, e.g. 2031-01-01T00:00:00Z',
      },
    },
    options,
  );

export const IsCalendarDate = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value) => isCalendarDate(value),
        defaultMessage: () => '$property must be a date that exists, as YYYY-MM-DD',
      },
    },
    options,
  );
