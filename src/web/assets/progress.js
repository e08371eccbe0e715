// Live progress of an export run: reads the run's server-sent events and updates the page.
// Without JavaScript the page refreshes itself instead (see the <noscript> in its head).
(function () {
  var box = document.querySelector('[data-run-events]');
  if (!box || !window.EventSource) return;
  var bar = box.querySelector('progress');
  var text = box.querySelector('.progress-text');
  var source = new EventSource(box.getAttribute('data-run-events'));
  var labels = { customers: 'Customers', products: 'Products', invoices: 'Invoices', prepare: 'Preparing', plan: 'Planning' };
  source.addEventListener('progress', function (e) {
    var p = JSON.parse(e.data);
    if (bar && p.total > 0) { bar.max = p.total; bar.value = p.done; }
    if (text) text.textContent = (labels[p.phase] || p.phase) + ': ' + p.done + ' of ' + p.total;
  });
  source.addEventListener('done', function () {
    source.close();
    // The finished run's summary is rendered by the server: reload to show it.
    window.location.reload();
  });
  source.onerror = function () {
    if (source.readyState === EventSource.CLOSED) window.location.reload();
  };
})();
