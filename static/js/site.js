/* Progressive enhancements for every page. Everything here is optional: pages and forms work
   without JavaScript. Loaded from our own origin only (CSP: script-src 'self'). */
(function () {
  "use strict";

  var gettext = window.gettext || function (s) { return s; };
  var interpolate = window.interpolate || function (fmt, obj) {
    return fmt.replace(/%\((\w+)\)s/g, function (_m, key) { return String(obj[key]); });
  };

  document.documentElement.classList.add("js");

  /* The reader's time zone, for times the server writes (events, threads, chat): kept in the
     "tz" cookie; a profile's chosen zone wins on the server. */
  (function timeZoneCookie() {
    var zone;
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
    if (!zone || document.cookie.indexOf("tz=" + encodeURIComponent(zone)) !== -1) return;
    document.cookie = "tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; SameSite=Lax";
  })();

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  /* Language switcher: submit on change (the button stays for keyboards and no-JS). */
  function autosubmit() {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  /* Drafts: text typed into a composer survives a reload until the server has accepted it.
     The page after a successful send names the draft in <body data-drafts-sent="key …">;
     it is forgotten there even when that page has no such composer (a new thread or a
     question lands on a page whose box has a key of its own). Drafts are kept under the
     signed-in person's name, so that someone else signing in on the same browser never finds
     them in their own boxes, and signing out (a form with data-forget-drafts) forgets them all,
     with chat's unsent messages. */
  function drafts() {
    var storage;
    try { storage = window.localStorage; storage.getItem("draft:"); } catch (e) { return; }
    var prefix = "draft:" + (document.body.getAttribute("data-user") || "") + ":";
    document.addEventListener("submit", function (event) {
      if (!event.target.hasAttribute("data-forget-drafts") || event.defaultPrevented) return;
      for (var i = storage.length - 1; i >= 0; i--) {
        var name = storage.key(i);
        if (name && (name.indexOf("draft:") === 0 || name.indexOf("chat-outbox:") === 0)) {
          storage.removeItem(name);
        }
      }
    });
    (document.body.getAttribute("data-drafts-sent") || "").split(" ").forEach(function (name) {
      if (name) storage.removeItem(prefix + name);
    });
    document.querySelectorAll("textarea[data-draft-key]").forEach(function (area) {
      var key = prefix + area.getAttribute("data-draft-key");
      var stored = storage.getItem(key);
      if (stored && !area.value.trim()) area.value = stored;
      area.addEventListener("input", function () {
        try {
          if (area.value.trim()) storage.setItem(key, area.value);
          else storage.removeItem(key);
        } catch (e) { /* storage full: nothing more to keep */ }
      });
    });
  }

  /* The live connection (/ws/live/, docs/realtime.md): the notification badge, a moderator's
     badge of items waiting, and on thread pages a "N new replies" bar. Frames are doorbells:
     the badge frames carry the count, the thread frame the last post number; the posts
     themselves come over HTTP (newPosts). On every (re)connection the server sends the current
     counts and number, so nothing missed while disconnected stays missed. */
  function live() {
    var badge = document.querySelector("[data-live-count]");
    var threadEl = document.querySelector("[data-live-thread]");
    if (!badge && !threadEl) return;
    var ngettext = window.ngettext || function (s, p, n) { return n === 1 ? s : p; };
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var url = scheme + window.location.host + "/ws/live/";
    var delay = 1000;
    var socket = null;
    var retryTimer = null;
    var stopped = false;

    function showCount(unread) {
      badge.textContent = String(unread);
      badge.classList.toggle("is-empty", unread === 0);
      var bell = badge.closest("[data-live-badge]");
      if (bell) {
        bell.setAttribute("aria-label", interpolate(
          ngettext("Notifications: %(count)s unread", "Notifications: %(count)s unread", unread),
          { count: unread },
          true // named: Django's interpolate() needs it for %(name)s
        ));
      }
    }

    function showPending(pending) {
      var link = document.querySelector("[data-moderation-link]");
      var count = link && link.querySelector(".badge");
      if (!count) return;
      count.textContent = String(pending);
      count.classList.toggle("is-empty", pending === 0);
      link.setAttribute("aria-label", interpolate(
        ngettext("Moderation: %(count)s item waiting", "Moderation: %(count)s items waiting", pending),
        { count: pending },
        true
      ));
    }

    function showNewReplies(number) {
      var shown = parseInt(threadEl.getAttribute("data-last-number"), 10) || 0;
      var bar = document.querySelector("[data-new-posts-bar]");
      if (!bar || number <= shown) return;
      var count = number - shown;
      bar.hidden = false;
      bar.querySelector("button, a").textContent = interpolate(
        ngettext("%(count)s new reply: show", "%(count)s new replies: show", count),
        { count: count },
        true
      );
    }

    function onFrame(event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame.type === "notifications" && badge) showCount(frame.unread);
      else if (frame.type === "moderation") showPending(frame.pending);
      else if (frame.type === "thread.post" && threadEl &&
               String(frame.thread) === threadEl.getAttribute("data-live-thread")) {
        showNewReplies(frame.number);
      }
    }

    function connect() {
      if (stopped || (socket && socket.readyState <= WebSocket.OPEN)) return;
      clearTimeout(retryTimer);
      var ws = new WebSocket(url);
      socket = ws;
      ws.addEventListener("open", function () {
        delay = 1000;
        if (threadEl) {
          ws.send(JSON.stringify({ type: "watch", thread: parseInt(threadEl.getAttribute("data-live-thread"), 10) }));
        }
      });
      ws.addEventListener("message", onFrame);
      ws.addEventListener("close", function (event) {
        if (socket !== ws) return;
        socket = null;
        if (event.code >= 4000 && event.code < 5000) { stopped = true; return; } // e.g. signed out
        if (!navigator.onLine) return; // the "online" event reconnects
        retryTimer = setTimeout(connect, delay + Math.random() * 500);
        delay = Math.min(delay * 2, 30000);
      });
    }

    window.addEventListener("online", function () { delay = 1000; connect(); });
    connect();
  }

  /* "N new replies" bar: fetch the new posts and append them (a plain link without JS). */
  function newPosts() {
    var bar = document.querySelector("[data-new-posts-bar]");
    var threadEl = document.querySelector("[data-live-thread]");
    if (!bar || !threadEl) return;
    var loading = false;
    bar.addEventListener("click", function (event) {
      var target = event.target.closest("button");
      if (!target || loading) return;
      event.preventDefault();
      loading = true;
      var after = threadEl.getAttribute("data-last-number");
      var url = threadEl.getAttribute("data-new-posts-url") + "?after=" + encodeURIComponent(after);
      fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        })
        .then(function (html) {
          var holder = document.createElement("div");
          holder.innerHTML = html;
          var list = document.querySelector("[data-posts]");
          var last = parseInt(after, 10) || 0;
          holder.querySelectorAll("article.post").forEach(function (post) {
            if (!document.getElementById(post.id)) list.appendChild(post); // each post once
            last = Math.max(last, parseInt(post.getAttribute("data-number"), 10) || 0);
          });
          threadEl.setAttribute("data-last-number", String(last));
          bar.hidden = true;
          if (window.htmx) window.htmx.process(list);
        })
        .catch(function () { /* the bar stays: the reader can try again */ })
        .then(function () { loading = false; });
    });
  }

  /* Phone header: the menu folds behind one button (CSS shows it open without JavaScript). */
  function menu() {
    var toggle = document.querySelector("[data-menu-toggle]");
    var panel = document.querySelector("[data-menu]");
    if (!toggle || !panel) return;
    function set(open) {
      panel.classList.toggle("is-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    toggle.addEventListener("click", function () { set(toggle.getAttribute("aria-expanded") !== "true"); });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") { set(false); toggle.focus(); }
    });
  }

  /* Phone: the library's filters fold behind a "Filters (n)" button (open without JS). */
  function filtersToggle() {
    document.querySelectorAll("[data-filters-toggle]").forEach(function (toggle) {
      var panel = document.getElementById(toggle.getAttribute("aria-controls"));
      if (!panel) return;
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        panel.classList.toggle("is-open", open);
        if (open) {
          var first = panel.querySelector("input, select, textarea, button");
          if (first) first.focus();
        }
      });
    });
  }

  /* A long list of checkboxes (a country picker) gets a box that filters it as one types.
     Without JavaScript the list scrolls and the participating countries come first. */
  function filterableLists() {
    document.querySelectorAll("[data-filterable]").forEach(function (input) {
      var list = input.closest("div[id]");
      if (!list || list.hasAttribute("data-filter-ready")) return;
      list.setAttribute("data-filter-ready", "");
      list.classList.add("checklist");
      var box = document.createElement("input");
      box.type = "search";
      box.className = "checklist-filter";
      box.setAttribute("aria-label", gettext("Filter the list"));
      box.placeholder = gettext("Type to filter the list");
      box.setAttribute("aria-controls", list.id);
      list.parentNode.insertBefore(box, list);
      box.addEventListener("input", function () {
        var needle = box.value.trim().toLocaleLowerCase();
        list.querySelectorAll("label").forEach(function (label) {
          var row = label.closest("div") || label;
          var checked = label.querySelector("input") && label.querySelector("input").checked;
          row.hidden = needle !== "" && !checked && label.textContent.toLocaleLowerCase().indexOf(needle) === -1;
        });
      });
    });
  }

  /* After an htmx swap, focus never falls to <body>: if the focused element was replaced,
     the new content (or its first control) takes focus. */
  function focusAfterSwaps() {
    var hadFocus = null;
    document.body.addEventListener("htmx:beforeSwap", function (event) {
      var target = event.detail.target;
      hadFocus = target && target.contains(document.activeElement) ? document.activeElement : null;
    });
    document.body.addEventListener("htmx:afterSettle", function (event) {
      if (!hadFocus || document.body.contains(hadFocus)) return;
      var target = event.detail.target;
      var next = (target && target.querySelector("[autofocus], textarea, input:not([type=hidden]), button, a[href]")) || target;
      if (!next) return;
      if (next === target && !next.hasAttribute("tabindex")) next.setAttribute("tabindex", "-1");
      next.focus();
      hadFocus = null;
    });
  }

  /* Ctrl+Enter (Cmd+Enter on a Mac) in any text area sends its form, as in the chat. */
  function ctrlEnter() {
    document.addEventListener("keydown", function (event) {
      var area = event.target;
      if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey) || event.isComposing) return;
      if (!area || area.tagName !== "TEXTAREA" || !area.form || area.closest("[data-composer]")) return;
      event.preventDefault();
      if (area.form.requestSubmit) area.form.requestSubmit();
      else area.form.submit();
    });
  }

  /* Theme switch: with no saved choice the page follows the device, so the button asks for the
     opposite of what is shown now (the server only knows the saved choice). */
  function themeToggle() {
    var button = document.querySelector("[data-theme-toggle]");
    if (!button || document.documentElement.hasAttribute("data-theme")) return;
    var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
    if (!dark) return;
    button.value = "light";
    var label = gettext("Switch to the light theme");
    button.title = label;
    var hidden = button.querySelector(".visually-hidden");
    if (hidden) hidden.textContent = label;
    var use = button.querySelector("use");
    if (use) use.setAttribute("href", use.getAttribute("href").replace("#i-moon", "#i-sun"));
  }

  /* Confirm destructive actions (buttons with data-confirm). */
  function confirmations() {
    document.addEventListener("submit", function (event) {
      var button = event.submitter;
      var message = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
      if (message && !window.confirm(message)) event.preventDefault();
    });
  }

  /* At once, not on ready: a click in the moment between parsing and DOMContentLoaded must still
     be asked. The listener is on the document, which exists already. */
  confirmations();

  ready(function () {
    autosubmit();
    drafts();
    live();
    newPosts();
    menu();
    themeToggle();
    filtersToggle();
    filterableLists();
    focusAfterSwaps();
    ctrlEnter();
  });
})();
