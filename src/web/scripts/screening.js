// Keyboard screening: I include, M maybe, N full text not retrieved, X exclude with the chosen
// reason, 1–9 exclude with that reason, U back to the last record screened (to change that decision).
// Keys typed into a text field are left alone. The page works without this script: the same buttons
// submit the same form, and the same link goes back.
const form = document.querySelector('.app-decision-form');
const isTyping = (target) => target instanceof HTMLElement && (target.isContentEditable || target.matches('input[type="text"], input[type="search"], textarea, select'));
document.addEventListener('keydown', (event) => {
  if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.key.toLowerCase() !== 'u' || isTyping(event.target) || form?.hasAttribute('data-submitting')) return;
  const back = document.getElementById('previous-decision');
  if (back instanceof HTMLAnchorElement) {
    event.preventDefault();
    back.click();
  }
});
if (form) {
  const submitWith = (decision) => {
    const button = form.querySelector(`button[name="decision"][value="${decision}"]`);
    if (button) {
      form.setAttribute('data-submitting', decision);
      button.click();
    }
  };
  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || form.hasAttribute('data-submitting')) return;
    if (isTyping(event.target)) return;
    const key = event.key.toLowerCase();
    if (key === 'i') {
      event.preventDefault();
      submitWith('include');
    } else if (key === 'm') {
      event.preventDefault();
      submitWith('maybe');
    } else if (key === 'n') {
      event.preventDefault();
      submitWith('not_retrieved');
    } else if (key === 'x') {
      event.preventDefault();
      if (form.querySelector('input[name="reason"]:checked')) {
        submitWith('exclude');
      } else {
        // No reason chosen yet: move to the reasons so that a number key (or arrows and X) can pick one.
        form.querySelector('input[name="reason"]')?.focus();
      }
    } else if (/^[1-9]$/.test(key)) {
      const reason = form.querySelector(`input[name="reason"][data-key="${key}"]`);
      if (reason) {
        event.preventDefault();
        reason.checked = true;
        submitWith('exclude');
      }
    }
  });
}
