/* The collection editor (templates/resources/collection_form.html): reorder its items by
   dragging a handle with the mouse, or with the keyboard (Space or Enter picks an item up,
   the arrow keys move it, Home and End take it to the ends, Space or Enter drops it, Escape
   puts it back), each position announced in an aria-live region. A drop saves at once: one
   POST that puts the item at its new position, the same rule as the Move up / Move down
   buttons, which work without this script. */
(function () {
  "use strict";

  var list = document.querySelector("[data-sortable]");
  if (!list) return;
  var status = document.querySelector("[data-sortable-status]");
  var moveUrl = list.getAttribute("data-move-url");
  var tokenInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  var token = tokenInput ? tokenInput.value : "";
  var picked = null; // {li, from, next}: the item held with the keyboard
  var dragging = null; // {li, from}: the item held with the mouse

  function items() { return Array.prototype.slice.call(list.querySelectorAll("li[data-resource]")); }
  function positionOf(li) { return items().indexOf(li) + 1; }
  function titleOf(li) { return li.getAttribute("data-title"); }
  function handleOf(li) { return li.querySelector("[data-handle]"); }
  // ``format`` is already translated (gettext on the literal, so that makemessages finds it).
  function say(format, li) {
    return interpolate(format, { title: titleOf(li), position: positionOf(li), count: items().length }, true);
  }

  // Clear, then write: a screen reader announces a change of text, even the same text twice.
  var announceTimer = null;
  function announce(text) {
    status.textContent = "";
    window.clearTimeout(announceTimer);
    announceTimer = window.setTimeout(function () { status.textContent = text; }, 60);
  }

  // The first item cannot go up, the last cannot go down (as the server renders them).
  function refreshButtons() {
    var all = items();
    all.forEach(function (li, i) {
      var up = li.querySelector('[data-move="up"]');
      var down = li.querySelector('[data-move="down"]');
      if (up) up.disabled = i === 0;
      if (down) down.disabled = i === all.length - 1;
    });
  }

  function save(li, from) {
    var position = positionOf(li);
    refreshButtons();
    if (position === from) {
      announce(say(gettext("“%(title)s” stays at position %(position)s of %(count)s."), li));
      return;
    }
    var body = new FormData();
    body.append("resource", li.getAttribute("data-resource"));
    body.append("position", String(position));
    li.classList.add("is-saving");
    fetch(moveUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.error || "");
        announce(data.message);
      });
    }).catch(function (error) {
      announce((error && error.message) || gettext("The new order could not be saved. Reload the page and try again."));
    }).then(function () {
      li.classList.remove("is-saving");
    });
  }

  /* ---- keyboard ---- */

  function pick(li) {
    picked = { li: li, from: positionOf(li), next: li.nextElementSibling };
    li.classList.add("is-picked");
    handleOf(li).setAttribute("aria-pressed", "true");
    announce(say(gettext("Picked up “%(title)s”, position %(position)s of %(count)s. Move it with the arrow keys, drop it with Space, cancel with Escape."), li));
  }

  function release(li) {
    li.classList.remove("is-picked");
    handleOf(li).setAttribute("aria-pressed", "false");
    picked = null;
  }

  // Moving a node in the document takes the focus away from it: give it back.
  function place(li, before) {
    list.insertBefore(li, before);
    handleOf(li).focus();
  }

  function step(li, where) {
    var all = items();
    var index = all.indexOf(li);
    var target = where === "first" ? 0 : where === "last" ? all.length - 1 : index + where;
    if (target < 0 || target >= all.length || target === index) return;
    place(li, target < index ? all[target] : all[target].nextElementSibling);
    refreshButtons();
    announce(say(gettext("“%(title)s”: position %(position)s of %(count)s."), li));
  }

  function drop(li) {
    var from = picked.from;
    release(li);
    save(li, from);
  }

  function cancel(li) {
    var back = picked.next;
    release(li);
    place(li, back);
    refreshButtons();
    announce(say(gettext("Cancelled. “%(title)s” is back at position %(position)s of %(count)s."), li));
  }

  list.addEventListener("keydown", function (event) {
    var handle = event.target.closest("[data-handle]");
    if (!handle) return;
    var li = handle.closest("li[data-resource]");
    var key = event.key;
    if (!picked) {
      if (key === " " || key === "Enter") {
        event.preventDefault();
        pick(li);
      }
      return;
    }
    if (picked.li !== li) return;
    var moves = { ArrowUp: -1, ArrowLeft: -1, ArrowDown: 1, ArrowRight: 1, Home: "first", End: "last" };
    if (key in moves) {
      event.preventDefault();
      step(li, moves[key]);
    } else if (key === " " || key === "Enter") {
      event.preventDefault();
      drop(li);
    } else if (key === "Escape") {
      event.preventDefault();
      cancel(li);
    } else if (key === "Tab") {
      cancel(li); // leaving the handle puts the item back; Tab still moves the focus on
    }
  });
  // Space on a button also clicks it on key-up; the handle has nothing to click.
  list.addEventListener("click", function (event) {
    if (event.target.closest("[data-handle]")) event.preventDefault();
  });

  /* ---- mouse (HTML drag and drop, started from the handle only) ---- */

  list.addEventListener("mousedown", function (event) {
    var handle = event.target.closest("[data-handle]");
    if (handle) handle.closest("li[data-resource]").draggable = true;
  });
  list.addEventListener("dragstart", function (event) {
    var li = event.target.closest && event.target.closest("li[data-resource]");
    if (!li || !li.draggable) return;
    if (picked) release(picked.li);
    dragging = { li: li, from: positionOf(li) };
    li.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", titleOf(li));
  });
  list.addEventListener("dragover", function (event) {
    if (!dragging) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    var over = event.target.closest("li[data-resource]");
    if (!over || over === dragging.li) return;
    var box = over.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    list.insertBefore(dragging.li, after ? over.nextElementSibling : over);
  });
  list.addEventListener("drop", function (event) {
    if (dragging) event.preventDefault();
  });
  list.addEventListener("dragend", function () {
    if (!dragging) return;
    var li = dragging.li;
    var from = dragging.from;
    dragging = null;
    li.classList.remove("is-dragging");
    li.draggable = false;
    save(li, from);
  });

  // The handles are only of use with this script: show them now.
  items().forEach(function (li) {
    var handle = handleOf(li);
    handle.hidden = false;
    handle.setAttribute("aria-pressed", "false");
  });
})();
