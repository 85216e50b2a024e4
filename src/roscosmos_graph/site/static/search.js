(function () {
  "use strict";
  var entries = JSON.parse(document.getElementById("search-index").textContent);
  var input = document.getElementById("q");
  var results = document.getElementById("results");
  var status = document.getElementById("search-status");
  var groups = document.getElementById("groups");
  function norm(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  entries.forEach(function (entry) {
    entry.keys = entry.k.map(norm);
  });
  function show(query) {
    var needle = norm(query.trim());
    results.textContent = "";
    if (!needle) {
      status.textContent = "";
      groups.hidden = false;
      return;
    }
    groups.hidden = true;
    var hits = entries.filter(function (entry) {
      return entry.keys.some(function (key) { return key.indexOf(needle) !== -1; });
    });
    status.textContent = hits.length + (hits.length === 1 ? " match" : " matches");
    hits.slice(0, 200).forEach(function (entry) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = entry.u;
      link.textContent = entry.l;
      item.appendChild(link);
      if (entry.r) {
        var ru = document.createElement("span");
        ru.lang = "ru";
        ru.textContent = " · " + entry.r;
        item.appendChild(ru);
      }
      var cls = document.createElement("span");
      cls.className = "class";
      cls.textContent = " (" + entry.c + ")";
      item.appendChild(cls);
      results.appendChild(item);
    });
  }
  input.addEventListener("input", function () { show(input.value); });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (!initial && window.location.hash.indexOf("#q=") === 0) {
    initial = decodeURIComponent(window.location.hash.slice(3));
  }
  if (initial) {
    input.value = initial;
    show(initial);
  }
}());
