import { passwordProblem } from './password-policy';

describe('staff password policy', () => {
  it('refuses short passwords and common ones, with or without digits or signs around them or said twice', () => {
    expect(passwordProblem('short-pass')).toMatch(/at least 12/);
    for (const common of ['qwerty123456', 'Sunshine2026!', '!!!!football', 'passwordpassword', 'IloveyouIloveyou']) {
      expect(passwordProblem(common)).toMatch(/common password/);
    }
  });

  it('accepts a passphrase', () => {
    expect(passwordProblem('fleuve tisserand mangue 7')).toBeUndefined();
  });
});
