// Live updates for an open need page: new messages and status changes arrive by server-sent events.
// The server sends HTML it has already rendered and escaped, so the page and the updates look alike.
const root = document.querySelector('[data-need-live]');
if (root && 'EventSource' in window) {
  const source = new EventSource(root.getAttribute('data-need-live'));
  const announce = (text) => {
    const live = document.getElementById('live-status');
    if (live) live.textContent = text;
  };
  const append = (id, html) => {
    const list = document.getElementById(id);
    if (!list) return;
    list.insertAdjacentHTML('beforeend', html);
    const empty = document.getElementById(id + '-empty');
    if (empty) empty.remove();
  };
  source.addEventListener('comment', (message) => {
    const data = JSON.parse(message.data);
    if (document.getElementById('comment-' + data.id)) return;
    append('thread', data.html);
    announce('New message from ' + data.authorName);
  });
  source.addEventListener('status', (message) => {
    const data = JSON.parse(message.data);
    const tag = document.getElementById('need-status');
    if (tag) tag.outerHTML = data.tagHtml;
    append('history', data.historyHtml);
    announce('Status changed to ' + data.label);
  });
  source.addEventListener('history', (message) => {
    append('history', JSON.parse(message.data).historyHtml);
  });
  source.addEventListener('matches', (message) => {
    const data = JSON.parse(message.data);
    const heading = document.getElementById('matches-heading');
    if (heading) heading.insertAdjacentHTML('afterend', data.html);
    announce(data.count === 1 ? 'New evidence matches this need' : data.count + ' new records match this need');
  });
  root.setAttribute('data-live-connected', 'true');
  source.addEventListener('open', () => root.setAttribute('data-live-ready', 'true'));
}
