// Progressive enhancements; every page works without them.
document.addEventListener('DOMContentLoaded', () => {
  // the menu folds on small screens behind its button
  const toggle = document.querySelector('.menu-toggle');
  const menu = document.getElementById('site-menu');
  if (toggle && menu) {
    toggle.hidden = false;
    menu.setAttribute('data-collapsed', '');
    toggle.addEventListener('click', () => {
      const open = toggle.getAttribute('aria-expanded') === 'true';
      toggle.setAttribute('aria-expanded', String(!open));
      if (open) {
        menu.setAttribute('data-collapsed', '');
      } else {
        menu.removeAttribute('data-collapsed');
      }
    });
  }
  document.querySelectorAll('[data-confirm]').forEach((element) => {
    element.addEventListener('click', (event) => {
      if (!window.confirm(element.dataset.confirm)) {
        event.preventDefault();
      }
    });
  });
  // files dropped on a file field go into it
  document.querySelectorAll('input[type="file"]').forEach((input) => {
    const zone = input.closest('.field') || input;
    ['dragenter', 'dragover'].forEach((name) => zone.addEventListener(name,
      (event) => { event.preventDefault(); zone.classList.add('dropping'); }));
    ['dragleave', 'drop'].forEach((name) => zone.addEventListener(name,
      () => zone.classList.remove('dropping')));
    zone.addEventListener('drop', (event) => {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        input.dispatchEvent(new Event('change'));
      }
    });
  });
});
