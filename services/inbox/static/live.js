// Live updates for the inbox: the server streams which entries changed (ids only); the page
// fetches itself again and swaps the regions marked data-live-region, so new items appear without
// a reload. Without JavaScript the pages work the same, refreshed by hand.
(function () {
  'use strict';
  var body = document.body;
  if (!window.EventSource || !window.fetch || !window.DOMParser || !body.hasAttribute('data-live')) {
    return;
  }
  var onlyItem = body.getAttribute('data-live-item') || '';
  var status = document.getElementById('live-status');
  var alertBox = document.getElementById('live-alert');
  var busy = false;
  var again = false;

  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(window.location.href, { headers: { 'X-Signpost-Live': '1' }, credentials: 'same-origin' })
      .then(function (resp) {
        if (resp.status === 401) { window.location.reload(); return null; }
        return resp.ok ? resp.text() : null;
      })
      .then(function (html) {
        if (html) {
          var fresh = new DOMParser().parseFromString(html, 'text/html');
          var regions = document.querySelectorAll('[data-live-region]');
          for (var i = 0; i < regions.length; i++) {
            var el = regions[i];
            var next = fresh.getElementById(el.id);
            // Never pull the region out from under someone using it with the keyboard.
            if (next && next.innerHTML !== el.innerHTML && !el.contains(document.activeElement)) {
              el.innerHTML = next.innerHTML;
            }
          }
        }
      })
      .catch(function () {})
      .then(function () {
        busy = false;
        if (again) { again = false; refresh(); }
      });
  }

  var source = new EventSource('/inbox/events');
  source.addEventListener('open', function () {
    // Whatever changed between this page being made and the stream opening was not announced:
    // fetch the page once now.
    body.setAttribute('data-live-state', 'open');
    refresh();
  });
  source.addEventListener('error', function () { body.setAttribute('data-live-state', 'reconnecting'); });
  source.addEventListener('change', function (e) {
    var change = {};
    try { change = JSON.parse(e.data); } catch (err) { return; }
    if (onlyItem && change.item_id && change.item_id !== onlyItem) { return; }
    if (!onlyItem && change.state === 'open' && change.kind_label) {
      if (change.priority === 'urgent') {
        alertBox.textContent = 'New urgent item: someone may be at risk. It is at the top of the Urgent view.';
      } else if (status) {
        status.textContent = 'New item: ' + change.kind_label + '.';
      }
    }
    refresh();
  });
  source.addEventListener('signed-out', function () {
    source.close();
    window.location.reload();
  });
})();
