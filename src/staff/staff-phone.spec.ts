import { checkStaffPhone, maskedPhone } from './staff-phone';
import { StaffInputError } from './staff.types';

describe('a staff member’s own phone', () => {
  it('accepts an international number as typed and keeps it in E.164', () => {
    expect(checkStaffPhone(' +223 76 12 34 56 ')).toBe('+22376123456');
    expect(checkStaffPhone('+33 6.12.34.56.78')).toBe('+33612345678');
  });

  it('refuses a number without its country code, letters, or one that cannot exist, without repeating it', () => {
    for (const typed of ['76123456', '+223 ab', '+33 1', '+1 555', '']) {
      expect(() => checkStaffPhone(typed)).toThrow(StaffInputError);
      try {
        checkStaffPhone(typed);
      } catch (err) {
        if (typed) expect((err as Error).message).not.toContain(typed.trim());
      }
    }
  });

  it('is shown masked: the country code and the last two digits', () => {
    expect(maskedPhone('+22376123456')).toBe('+223 ••••••56');
    expect(maskedPhone('+22376123456')).not.toContain('7612');
  });
});
