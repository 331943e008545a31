// Shows, while typing, which password rules are met; the server checks too.
document.addEventListener('DOMContentLoaded', () => {
  const password = document.getElementById('password');
  const rules = document.getElementById('password-rules');
  if (!password || !rules) {
    return;
  }
  const tests = {
    length: (value) => value.length >= 8,
    digit: (value) => /\d/.test(value),
    capital: (value) => /[A-Z]/.test(value),
    space: (value) => value.length > 0 && !/\s/.test(value),
  };
  const update = () => {
    // nothing is marked wrong before anything is typed
    const typed = password.value.length > 0;
    rules.querySelectorAll('[data-rule]').forEach((item) => {
      const met = tests[item.dataset.rule](password.value);
      item.classList.toggle('met', typed && met);
      item.classList.toggle('unmet', typed && !met);
    });
  };
  password.addEventListener('input', update);
  update();
  const summary = document.getElementById('error-summary');
  const invalid = document.querySelector('[aria-invalid="true"]');
  if (summary && invalid) {
    invalid.focus();
  }
});
