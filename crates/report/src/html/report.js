// Slant report page: layer and technique toggles, hover details, and the tone strip.
(function () {
  'use strict';
  var tip = document.getElementById('slant-tip');
  function esc(s) {
    return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function describe(a) {
    var h = '<div class="it"><div class="ly">' + esc(a.l.replace(/_/g, ' ')) + '</div>';
    if (a.b) { h += '<b>' + esc(a.b.replace(/_/g, ' ')) + '</b>'; }
    if (typeof a.s === 'number') { h += ' <span class="dt">score ' + a.s.toFixed(2) + '</span>'; }
    if (a.x) { h += '<div>' + esc(a.x) + '</div>'; }
    if (a.d) { h += '<div class="dt">' + esc(a.d) + '</div>'; }
    return h + '</div>';
  }
  function place(e) {
    if (!tip || tip.hidden) { return; }
    var x = e.clientX + 14, y = e.clientY + 16;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    if (x + w > window.innerWidth - 8) { x = Math.max(8, e.clientX - w - 14); }
    if (y + h > window.innerHeight - 8) { y = Math.max(8, e.clientY - h - 16); }
    tip.style.left = x + 'px';
    tip.style.top = y + 'px';
  }
  function flash(el) {
    if (!el) { return; }
    el.classList.remove('flash');
    void el.offsetWidth;
    el.classList.add('flash');
  }
  var docs = document.querySelectorAll('section.doc');
  Array.prototype.forEach.call(docs, function (doc) {
    var dataEl = doc.querySelector('script.slant-data');
    var anns = dataEl ? (JSON.parse(dataEl.textContent).anns || []) : [];
    var hidden = {}, hiddenTech = {};
    var segs = doc.querySelectorAll('article.text [data-a]');
    function visible(i) {
      var a = anns[i];
      return !!a && !hidden[a.l] && !(a.l === 'rhetoric' && hiddenTech[a.b || 'unlabelled']);
    }
    function ids(seg) { return seg.getAttribute('data-a').split(' ').filter(visible); }
    function paint() {
      Array.prototype.forEach.call(segs, function (seg) {
        var cls = ['g'];
        ids(seg).forEach(function (i) {
          var a = anns[i];
          if (cls.indexOf(a.c) < 0) { cls.push(a.c); }
          if (a.l === 'sentiment') { cls.push(a.g < 0 ? 's-neg' : a.g > 0 ? 's-pos' : 's-neu'); }
        });
        seg.className = cls.length > 1 ? cls.join(' ') : '';
      });
    }
    Array.prototype.forEach.call(doc.querySelectorAll('input[data-layer]'), function (cb) {
      var l = cb.getAttribute('data-layer');
      if (!cb.checked) { hidden[l] = true; }
      cb.addEventListener('change', function () { if (cb.checked) { delete hidden[l]; } else { hidden[l] = true; } paint(); });
    });
    Array.prototype.forEach.call(doc.querySelectorAll('input[data-tech]'), function (cb) {
      var t = cb.getAttribute('data-tech');
      if (!cb.checked) { hiddenTech[t] = true; }
      cb.addEventListener('change', function () { if (cb.checked) { delete hiddenTech[t]; } else { hiddenTech[t] = true; } paint(); });
    });
    paint();
    var text = doc.querySelector('article.text');
    if (text && tip) {
      text.addEventListener('mouseover', function (e) {
        var seg = e.target.closest ? e.target.closest('[data-a]') : null;
        var list = seg ? ids(seg) : [];
        if (!list.length) { tip.hidden = true; return; }
        tip.innerHTML = list.map(function (i) { return describe(anns[i]); }).join('');
        tip.hidden = false;
        place(e);
      });
      text.addEventListener('mousemove', place);
      text.addEventListener('mouseleave', function () { tip.hidden = true; });
    }
    Array.prototype.forEach.call(doc.querySelectorAll('svg.strip rect[data-s]'), function (r) {
      r.addEventListener('click', function () {
        var target = document.getElementById(r.getAttribute('data-s'));
        if (!target) { return; }
        target.scrollIntoView({ behavior: 'smooth', block: 'center' });
        flash(target.nextElementSibling || target.parentNode);
      });
    });
    Array.prototype.forEach.call(doc.querySelectorAll('ol.spans a'), function (a) {
      a.addEventListener('click', function () { flash(document.getElementById(a.getAttribute('href').slice(1))); });
    });
  });
  // Hovering works: a synthetic hover over the first highlighted passage must fill the tip.
  var hover = 'none';
  var first = document.querySelector('article.text [data-a][class]');
  if (first && tip) {
    first.dispatchEvent(new MouseEvent('mouseover', { bubbles: true, clientX: 10, clientY: 10 }));
    hover = (!tip.hidden && tip.textContent.length > 0) ? 'ok' : 'broken';
    tip.hidden = true;
  }
  // Toggles work: switching the first checked layer off must clear its highlights, and
  // switching it back on must restore them.
  var toggle = 'none';
  var box = document.querySelector('section.doc input[data-layer]:checked');
  if (box) {
    var doc0 = box.closest('section.doc');
    var cls = '.l-' + box.getAttribute('data-layer');
    var count = function () { return doc0.querySelectorAll('article.text ' + cls).length; };
    var before = count();
    box.click();
    var off = count();
    box.click();
    var after = count();
    toggle = (before > 0 && off === 0 && after === before) ? 'ok' : (before === 0 ? 'none' : 'broken');
  }
  // A marker the browser test looks for: the script ran to the end without an error.
  var mark = document.createElement('div');
  mark.id = 'slant-selfcheck';
  mark.hidden = true;
  mark.textContent = 'ok docs=' + docs.length + ' hover=' + hover + ' toggle=' + toggle;
  document.body.appendChild(mark);
})();
