/* Live chat room client. The protocol is in docs/realtime.md.

   Guarantees the page gives its reader:
   - every message exactly once, in seq order: frames are deduplicated by seq, a gap in seq
     triggers a sync, and every (re)connection starts with {"type": "sync", "after": lastSeq};
   - a message typed while offline is kept (localStorage outbox, keyed by client_id) and sent when
     the connection returns; the server stores one message per client_id however often it is sent;
   - a refused message stays visible, marked "not sent — retry", with its text recoverable. */
(function () {
  "use strict";

  var gettext = window.gettext || function (s) { return s; };
  var interpolate = window.interpolate || function (fmt, obj) {
    return fmt.replace(/%\((\w+)\)s/g, function (_m, key) { return String(obj[key]); });
  };

  var root = document.querySelector("[data-chat]");
  if (!root) return;

  var list = root.querySelector("[data-messages]");
  var log = root.querySelector("[data-log]");
  var composer = root.querySelector("[data-composer]");
  var textarea = composer ? composer.querySelector("textarea") : null;
  var replyInput = composer ? composer.querySelector("[data-reply-to]") : null;
  var replyingNote = composer ? composer.querySelector("[data-replying]") : null;
  var typingEl = root.querySelector("[data-typing]");
  var presenceEl = root.querySelector("[data-presence]");
  var stateEl = document.querySelector("[data-connection]");
  var olderButton = root.querySelector("[data-older]");

  var wsPath = root.getAttribute("data-ws");
  var historyUrl = root.getAttribute("data-history-url");
  var userId = parseInt(root.getAttribute("data-user-id"), 10);
  var canModerate = root.getAttribute("data-can-moderate") === "1";
  var live = root.getAttribute("data-live") === "1"; // members only; others read the page
  var threadUrlTemplate = root.getAttribute("data-thread-url");
  var reportUrlTemplate = root.getAttribute("data-report-url"); // absent for who may not report
  // Per person: someone else signing in on this browser must never send what another typed.
  // Signing out forgets every outbox (site.js, with the drafts).
  var outboxKey = "chat-outbox:" + (document.body.getAttribute("data-user") || "") + ":" + wsPath;

  var socket = null;
  var lastSeq = 0;
  var firstSeq = null;
  var delay = 1000;
  var retryTimer = null;
  var pingTimer = null;
  var pongTimer = null;
  var closedForGood = false;
  var syncing = false;
  var lastTyping = 0;
  var typingTimers = {};
  var present = {};
  var readSent = 0;

  /* ---- state indicator ---- */

  var STATES = {
    connecting: gettext("Connecting…"),
    online: gettext("Live"),
    reconnecting: gettext("Reconnecting…"),
    offline: gettext("Offline: messages will be sent when the connection returns"),
    closed: gettext("Disconnected"),
    readonly: gettext("Join the community to follow this room live.")
  };

  function setState(state, text) {
    if (!stateEl) return;
    stateEl.setAttribute("data-state", state);
    stateEl.textContent = text || STATES[state];
  }

  /* ---- outbox (survives reloads and offline periods) ---- */

  function loadOutbox() {
    try { return JSON.parse(window.localStorage.getItem(outboxKey) || "[]"); } catch (e) { return []; }
  }

  function saveOutbox(items) {
    try { window.localStorage.setItem(outboxKey, JSON.stringify(items)); } catch (e) { /* full */ }
  }

  function outboxRemove(clientId) {
    saveOutbox(loadOutbox().filter(function (item) { return item.client_id !== clientId; }));
  }

  function outboxMark(clientId, failed) {
    saveOutbox(loadOutbox().map(function (item) {
      if (item.client_id === clientId) item.failed = failed;
      return item;
    }));
  }

  function newClientId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return "c" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  /* ---- rendering ---- */

  /* One clock: times are shown in the zone the server rendered the page in (the reader's:
     profile, else browser), never in whatever zone the browser happens to be in, so a live
     message and the same message after a reload read the same. */
  var zone = root.getAttribute("data-tz") || undefined;
  var lang = document.documentElement.lang || undefined;
  function formatter(options) {
    try { return new Intl.DateTimeFormat(lang, Object.assign({ timeZone: zone }, options)); }
    catch (e) { return new Intl.DateTimeFormat(lang, options); } // unknown zone: the browser's
  }
  var timeFormat = formatter({ hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  var fullFormat = formatter({ dateStyle: "long", timeStyle: "short" });
  var dayKeyFormat = formatter({ year: "numeric", month: "2-digit", day: "2-digit" });
  var dayFormat = formatter({ dateStyle: "long" });

  function timeText(iso) { return timeFormat.format(new Date(iso)); }
  function fullText(iso) { return fullFormat.format(new Date(iso)) + (zone ? " (" + zone + ")" : ""); }
  function dayKey(iso) {
    var parts = {};
    dayKeyFormat.formatToParts(new Date(iso)).forEach(function (p) { parts[p.type] = p.value; });
    return parts.year + "-" + parts.month + "-" + parts.day;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var sprite = (function () {
    var use = document.querySelector("svg.icon use");
    return use ? use.getAttribute("href").split("#")[0] : "";
  })();
  function iconNode(name) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("class", "icon");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var use = document.createElementNS(ns, "use");
    use.setAttribute("href", sprite + "#i-" + name);
    svg.appendChild(use);
    return svg;
  }

  function toolButton(label, handler, icon) {
    var button = el("button", icon ? "" : "link-button", label);
    button.type = "button";
    if (icon) button.insertBefore(iconNode(icon), button.firstChild);
    button.addEventListener("click", function (event) {
      var menu = button.closest("details");
      if (menu) menu.open = false;
      handler(event);
    });
    return button;
  }

  /* The one template of a chat message (forums/_message.html, rendered by the server inside
     <template id="chat-message-template">), cloned and filled for every live message. */
  var template = document.getElementById("chat-message-template");

  function renderMessage(frame) {
    var li = template.content.firstElementChild.cloneNode(true);
    li.id = "m" + frame.seq;
    li.setAttribute("data-seq", frame.seq);
    li.setAttribute("data-id", frame.id);
    li.setAttribute("data-author", (frame.author && frame.author.username) || "");
    li.setAttribute("data-author-id", (frame.author && frame.author.id) || "");
    li.setAttribute("data-day", dayKey(frame.created));
    fillMessage(li, frame);
    return li;
  }

  function slot(li, name) { return li.querySelector('[data-slot="' + name + '"]'); }

  function fillMessage(li, frame) {
    var author = frame.author || {};
    var avatar = li.querySelector(".avatar");
    if (avatar) {
      var picture = author.avatar;
      avatar.className = avatar.className.replace(/\bavatar-c\d\b/g, "").trim();
      avatar.textContent = "";
      if (picture && picture.url) {
        var img = el("img");
        img.src = picture.url;
        img.alt = "";
        avatar.appendChild(img);
      } else {
        avatar.classList.add("avatar-c" + (picture ? picture.colour : 7));
        avatar.textContent = picture ? picture.initials : "?";
      }
    }
    slot(li, "who").textContent = author.name || gettext("a former member");
    var time = li.querySelector("time");
    time.setAttribute("datetime", frame.created);
    time.textContent = timeText(frame.created);
    time.title = fullText(frame.created);
    var edited = slot(li, "edited");
    if (edited) edited.hidden = !(frame.edited && !frame.deleted);
    var reply = slot(li, "reply");
    if (reply && frame.reply_to) {
      reply.textContent = "↪ " + frame.reply_to.author + ": " + (frame.reply_to.excerpt || gettext("deleted message"));
    } else if (reply) {
      reply.remove();
    }
    var body = slot(li, "body");
    if (frame.deleted) {
      var placeholder = el("p", "msg-body post-placeholder small", frame.removed_by_moderator ? gettext("Removed by a moderator.") : gettext("Deleted by the author."));
      placeholder.setAttribute("data-slot", "body");
      body.replaceWith(placeholder);
    } else {
      if (body.tagName !== "DIV") {
        var div = el("div", "msg-body user-content");
        div.setAttribute("data-slot", "body");
        body.replaceWith(div);
        body = div;
      }
      body.innerHTML = frame.html; // sanitized on the server by core/markup.py
    }
    var thread = slot(li, "thread");
    if (thread && frame.thread_url) {
      thread.querySelector("a").href = frame.thread_url;
    } else if (thread) {
      thread.remove();
    }
    tools(li, frame);
  }

  function tools(li, frame) {
    var box = slot(li, "tools");
    if (!box) return;
    var link = box.querySelector('[data-tool="link"]');
    box.textContent = "";
    if (link) {
      link.href = "#m" + frame.seq;
      link.lastChild.textContent = interpolate(gettext("Link to message #%(seq)s"), { seq: frame.seq }, true);
      box.appendChild(link);
    }
    if (frame.author && frame.author.url) {
      var profile = el("a", "", gettext("Author's profile"));
      profile.href = frame.author.url;
      profile.setAttribute("data-tool", "profile");
      profile.insertBefore(iconNode("user"), profile.firstChild);
      box.appendChild(profile);
    }
    if (frame.deleted || !composer) return;
    var mine = frame.author && frame.author.id === userId;
    box.appendChild(toolButton(gettext("Reply"), function () { startReply(frame); }, "reply"));
    if (mine) box.appendChild(toolButton(gettext("Edit"), function () { editMessage(frame); }, "pencil"));
    if (threadUrlTemplate && frame.id) {
      var start = el("a", "", gettext("Start a thread from here"));
      start.href = threadUrlTemplate.replace("/0/", "/" + frame.id + "/");
      start.insertBefore(iconNode("messages-square"), start.firstChild);
      box.appendChild(start);
    }
    if (reportUrlTemplate && frame.id && !mine) {
      var report = el("a", "", gettext("Report to moderators"));
      report.href = reportUrlTemplate.replace("/0/", "/" + frame.id + "/");
      report.setAttribute("data-tool", "report");
      report.insertBefore(iconNode("triangle-alert"), report.firstChild);
      box.appendChild(report);
    }
    if (mine || canModerate) {
      var del = toolButton(gettext("Delete"), function () {
        if (window.confirm(gettext("Delete this message?"))) send({ type: "delete", id: frame.id });
      }, "trash-2");
      del.className = "danger";
      box.appendChild(del);
    }
  }

  /* Grouping and day separators for a message placed in the list (the server does the same
     for the history it renders: forums/views/chat.py _mark_groups). */
  var GROUP_MS = 5 * 60 * 1000;
  function messageTime(li) { return new Date(li.querySelector("time").getAttribute("datetime")); }
  function arrange(li) {
    var day = li.getAttribute("data-day");
    var prev = li.previousElementSibling;
    var separatorBefore = null;
    while (prev && !prev.hasAttribute("data-seq")) {
      if (prev.hasAttribute("data-day-separator")) { separatorBefore = prev; break; }
      prev = prev.previousElementSibling;
    }
    var previousMessage = prev && prev.hasAttribute("data-seq") ? prev : null;
    if (day && !separatorBefore && (!previousMessage || previousMessage.getAttribute("data-day") !== day)) {
      var separator = el("li", "day-separator");
      separator.setAttribute("data-day-separator", day);
      var t = el("time", "", dayFormat.format(messageTime(li)));
      t.setAttribute("datetime", day);
      separator.appendChild(t);
      li.before(separator);
      previousMessage = null;
    }
    if (separatorBefore) previousMessage = null;
    var grouped = !!previousMessage &&
      li.getAttribute("data-author-id") !== "" &&
      previousMessage.getAttribute("data-author-id") === li.getAttribute("data-author-id") &&
      !slot(li, "reply") &&
      messageTime(li) - messageTime(previousMessage) < GROUP_MS;
    li.classList.toggle("is-grouped", grouped);
  }

  function insertInOrder(li, seq) {
    var empty = list.querySelector("[data-empty]");
    if (empty) empty.remove();
    var items = list.querySelectorAll("li[data-seq]");
    for (var i = items.length - 1; i >= 0; i--) {
      if (parseInt(items[i].getAttribute("data-seq"), 10) < seq) {
        items[i].after(li);
        return;
      }
    }
    list.insertBefore(li, list.firstChild);
  }

  function nearBottom() {
    return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  }

  function scrollToBottom() { log.scrollTop = log.scrollHeight; }

  /* ---- frames from the server ---- */

  function onMessage(frame) {
    if (frame.client_id) {
      var pending = list.querySelector('li[data-client-id="' + CSS.escape(frame.client_id) + '"]');
      if (pending) pending.remove();
      outboxRemove(frame.client_id);
    }
    if (document.getElementById("m" + frame.seq)) {
      lastSeq = Math.max(lastSeq, frame.seq);
      return; // already shown: exactly once
    }
    if (frame.seq > lastSeq + 1 && !syncing) {
      // A gap: some frames were lost on the way. Ask the database for everything after lastSeq.
      requestSync();
    }
    var stick = nearBottom();
    var li = renderMessage(frame);
    insertInOrder(li, frame.seq);
    arrange(li);
    if (frame.seq > lastSeq) lastSeq = frame.seq;
    if (firstSeq === null || frame.seq < firstSeq) firstSeq = frame.seq;
    if (stick) scrollToBottom();
    markRead();
  }

  function onUpdate(frame) {
    var li = document.getElementById("m" + frame.seq);
    if (li) fillMessage(li, frame);
  }

  function renderPresence() {
    if (!presenceEl) return;
    presenceEl.textContent = "";
    var names = Object.keys(present).map(function (id) { return present[id]; });
    names.sort(function (a, b) { return a.name.localeCompare(b.name); });
    if (!names.length) {
      presenceEl.appendChild(el("li", "muted", gettext("Nobody else is here.")));
      return;
    }
    names.forEach(function (person) { presenceEl.appendChild(el("li", "", person.name)); });
  }

  function onPresence(frame) {
    if (frame.users) {
      present = {};
      frame.users.forEach(function (person) { present[person.id] = person; });
    }
    if (frame.joined) present[frame.joined.id] = frame.joined;
    if (frame.left) delete present[frame.left.id];
    renderPresence();
  }

  function onTyping(frame) {
    var person = frame.user;
    if (!typingEl || !person || person.id === userId) return;
    clearTimeout(typingTimers[person.id]);
    typingTimers[person.id] = setTimeout(function () {
      delete typingTimers[person.id];
      renderTyping();
    }, 5000);
    renderTyping();
  }

  var typingNames = {};
  function renderTyping() {
    var names = Object.keys(typingTimers).map(function (id) { return typingNames[id]; }).filter(Boolean);
    typingEl.textContent = names.length ? interpolate(gettext("%(names)s is typing…"), { names: names.join(", ") }, true) : "";
  }

  function onError(frame) {
    // A refused message stays in the list, marked "not sent — retry", its text kept in the
    // outbox; any other refusal is shown for a few seconds.
    var pending = frame.client_id ? list.querySelector('li[data-client-id="' + CSS.escape(frame.client_id) + '"]') : null;
    if (frame.client_id) outboxMark(frame.client_id, true);
    if (pending) markFailed(pending, frame.message);
    else flash(frame.message);
  }

  function flash(text) {
    if (!typingEl) return;
    typingEl.textContent = text;
    setTimeout(function () { if (typingEl.textContent === text) typingEl.textContent = ""; }, 6000);
  }

  function onResync() {
    // Too far behind for a replay: load the latest page of history over HTTP instead.
    fetchHistory("", function (data) {
      list.textContent = "";
      data.messages.forEach(function (frame) {
        var li = renderMessage(frame);
        list.appendChild(li);
        arrange(li);
      });
      lastSeq = data.last_seq;
      firstSeq = data.messages.length ? data.messages[0].seq : null;
      loadOutbox().forEach(showPending);
      scrollToBottom();
    });
  }

  function dispatch(event) {
    var frame;
    try { frame = JSON.parse(event.data); } catch (e) { return; }
    if (frame.type === "message") onMessage(frame);
    else if (frame.type === "update") onUpdate(frame);
    else if (frame.type === "presence") onPresence(frame);
    else if (frame.type === "typing") { typingNames[frame.user.id] = frame.user.name; onTyping(frame); }
    else if (frame.type === "error") onError(frame);
    else if (frame.type === "resync") onResync();
    else if (frame.type === "pong") {
      clearTimeout(pongTimer);
      if (frame.last_seq > lastSeq && !syncing) requestSync(); // a doorbell went missing
    }
  }

  /* ---- connection ---- */

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  function requestSync() {
    syncing = true;
    send({ type: "sync", after: lastSeq });
    setTimeout(function () { syncing = false; }, 2000);
  }

  function flushOutbox() {
    loadOutbox().forEach(function (item) {
      if (!item.failed) send({ type: "send", body: item.body, client_id: item.client_id, reply_to: item.reply_to || undefined });
    });
  }

  function connect() {
    if (closedForGood) return;
    clearTimeout(retryTimer);
    if (!navigator.onLine) {
      setState("offline");
      return;
    }
    setState(lastSeq || socket ? "reconnecting" : "connecting");
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var ws = new WebSocket(scheme + window.location.host + wsPath);
    var opened = false;
    socket = ws;
    ws.addEventListener("open", function () {
      opened = true;
      delay = 1000;
      setState("online");
      requestSync();
      flushOutbox();
      heartbeat();
    });
    ws.addEventListener("message", dispatch);
    ws.addEventListener("close", function (event) {
      if (socket !== ws) return;
      clearInterval(pingTimer);
      clearTimeout(pongTimer);
      if (event.code >= 4000 && event.code < 5000) {
        stop(event.code); // the server said why (an error frame came first)
        return;
      }
      if (!navigator.onLine) {
        setState("offline");
        return;
      }
      setState("reconnecting");
      if (!opened) {
        // Refused at the handshake, or the server is unreachable: the browser cannot tell
        // which. Ask over HTTP (which also catches up on messages) before trying again.
        probe(retry);
      } else {
        retry();
      }
    });
  }

  function retry() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, delay + Math.random() * 400);
    delay = Math.min(delay * 2, 30000);
  }

  function stop(code) {
    closedForGood = true;
    var why = {
      4401: gettext("Signed out: sign in again to chat."),
      4403: gettext("You can no longer take part in this room."),
      4404: gettext("This room no longer exists.")
    };
    setState("closed", why[code] || STATES.closed);
  }

  function probe(then) {
    fetch(historyUrl + "?after=" + lastSeq, {
      credentials: "same-origin",
      redirect: "manual",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      if (response.type === "opaqueredirect" || response.status === 401) return stop(4401);
      if (response.status === 403) return stop(4403);
      if (response.status === 404) return stop(4404);
      if (!response.ok) return then();
      return response.json().then(function (data) {
        if (!data.live) return stop(4403);
        data.messages.forEach(onMessage);
        then();
      });
    }).catch(function () { then(); });
  }

  function heartbeat() {
    clearInterval(pingTimer);
    pingTimer = setInterval(function () {
      if (!send({ type: "ping" })) return;
      clearTimeout(pongTimer);
      pongTimer = setTimeout(function () {
        // No answer: the connection is dead even if the browser has not noticed.
        if (socket) socket.close();
      }, 10000);
    }, 20000);
  }

  window.addEventListener("offline", function () {
    if (!live || closedForGood) return;
    setState("offline");
    if (socket) socket.close();
  });
  window.addEventListener("online", function () {
    if (!live) return;
    delay = 1000;
    connect();
  });

  /* ---- composing ---- */

  function showPending(item) {
    if (list.querySelector('li[data-client-id="' + CSS.escape(item.client_id) + '"]')) return;
    var li = el("li", "chat-message pending");
    li.setAttribute("data-client-id", item.client_id);
    li.appendChild(el("span", "who", gettext("You")));
    var status = el("span", "muted small", item.failed ? "" : gettext("sending…"));
    status.setAttribute("data-status", "");
    li.appendChild(status);
    li.appendChild(el("div", "user-content", item.body));
    var empty = list.querySelector("[data-empty]");
    if (empty) empty.remove();
    list.appendChild(li);
    if (item.failed) markFailed(li, "");
    scrollToBottom();
  }

  function markFailed(li, reason) {
    li.classList.remove("pending");
    li.classList.add("failed");
    var status = li.querySelector("[data-status]");
    if (status) status.textContent = "";
    var clientId = li.getAttribute("data-client-id");
    var old = li.querySelector(".tools");
    if (old) old.remove();
    var box = el("div", "tools");
    box.appendChild(el("strong", "", gettext("Not sent — retry")));
    if (reason) box.appendChild(el("span", "small", " " + reason));
    box.appendChild(toolButton(gettext("Retry"), function () {
      var item = loadOutbox().filter(function (x) { return x.client_id === clientId; })[0];
      if (!item) return;
      outboxMark(clientId, false);
      li.classList.remove("failed");
      li.classList.add("pending");
      if (status) status.textContent = gettext("sending…");
      box.remove();
      send({ type: "send", body: item.body, client_id: item.client_id, reply_to: item.reply_to || undefined });
    }));
    box.appendChild(toolButton(gettext("Edit the text"), function () {
      var item = loadOutbox().filter(function (x) { return x.client_id === clientId; })[0];
      if (item && textarea) {
        textarea.value = item.body;
        textarea.focus();
      }
      outboxRemove(clientId);
      li.remove();
    }));
    li.appendChild(box);
  }

  function startReply(frame) {
    if (!replyInput) return;
    replyInput.value = frame.id;
    replyingNote.hidden = false;
    replyingNote.textContent = "";
    replyingNote.appendChild(document.createTextNode(interpolate(gettext("Replying to %(name)s"), { name: frame.author ? frame.author.name : "" }, true) + " "));
    replyingNote.appendChild(toolButton(gettext("Cancel"), cancelReply));
    textarea.focus();
  }

  function cancelReply() {
    replyInput.value = "";
    replyingNote.hidden = true;
  }

  function editMessage(frame) {
    var li = document.getElementById("m" + frame.seq);
    var current = li ? li.querySelector(".user-content").textContent : "";
    var text = window.prompt(gettext("Edit your message"), current);
    if (text !== null && text.trim()) send({ type: "edit", id: frame.id, body: text });
  }

  function submitMessage(event) {
    event.preventDefault();
    var body = textarea.value.trim();
    if (!body) return;
    var item = { client_id: newClientId(), body: body, reply_to: replyInput.value ? parseInt(replyInput.value, 10) : null };
    var items = loadOutbox();
    items.push(item);
    saveOutbox(items);
    showPending(item);
    textarea.value = "";
    cancelReply();
    send({ type: "send", body: item.body, client_id: item.client_id, reply_to: item.reply_to || undefined });
  }

  if (composer) {
    composer.addEventListener("submit", submitMessage);
    textarea.addEventListener("keydown", function (event) {
      // Enter sends, Shift+Enter is a new line, Ctrl/Cmd+Enter sends too (as in the thread's
      // reply box, so one habit works everywhere).
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) submitMessage(event);
    });
    textarea.addEventListener("input", function () {
      var now = Date.now();
      if (now - lastTyping > 3000 && textarea.value) {
        lastTyping = now;
        send({ type: "typing" });
      }
    });
  }

  /* ---- history ---- */

  function fetchHistory(query, done) {
    fetch(historyUrl + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(done);
  }

  if (olderButton) {
    olderButton.addEventListener("click", function () {
      if (firstSeq === null) return;
      var before = log.scrollHeight;
      fetchHistory("?before=" + firstSeq, function (data) {
        data.messages.slice().reverse().forEach(function (frame) {
          if (!document.getElementById("m" + frame.seq)) {
            var li = renderMessage(frame);
            insertInOrder(li, frame.seq);
            arrange(li);
          }
          firstSeq = Math.min(firstSeq, frame.seq);
        });
        log.scrollTop += log.scrollHeight - before;
        if (!data.messages.length || firstSeq <= 1) olderButton.parentNode.remove();
      });
    });
    // Infinite scroll-back: reaching the top loads the previous page.
    log.addEventListener("scroll", function () {
      if (log.scrollTop < 40 && document.body.contains(olderButton)) olderButton.click();
    });
  }

  function markRead() {
    if (document.visibilityState !== "visible" || lastSeq <= readSent) return;
    readSent = lastSeq;
    send({ type: "read", seq: lastSeq });
  }
  document.addEventListener("visibilitychange", markRead);

  /* ---- start ---- */

  // Messages rendered by the server get the same menu as live ones, and their times the same
  // full title (the server's date format and the browser's differ in wording, not in time).
  function enhance(li) {
    var time = li.querySelector("time");
    if (time) time.title = fullText(time.getAttribute("datetime"));
    var box = slot(li, "tools");
    if (!composer || !box || li.querySelector(".post-placeholder")) return;
    var who = slot(li, "who");
    var me = document.body.getAttribute("data-user");
    var mine = li.getAttribute("data-author") === me;
    var frame = {
      id: parseInt(li.getAttribute("data-id"), 10),
      seq: parseInt(li.getAttribute("data-seq"), 10),
      author: { id: mine ? userId : null, name: who ? who.textContent.trim() : "" }
    };
    var first = box.querySelector('[data-tool="thread"], form');
    box.insertBefore(toolButton(gettext("Reply"), function () { startReply(frame); }, "reply"), first);
    if (mine) box.insertBefore(toolButton(gettext("Edit"), function () { editMessage(frame); }, "pencil"), first);
  }

  list.querySelectorAll("li[data-seq]").forEach(function (li) {
    var seq = parseInt(li.getAttribute("data-seq"), 10);
    lastSeq = Math.max(lastSeq, seq);
    firstSeq = firstSeq === null ? seq : Math.min(firstSeq, seq);
    enhance(li);
  });
  // Day separators in the reader's language as the browser words dates (as for live ones).
  list.querySelectorAll("[data-day-separator]").forEach(function (separator) {
    var next = separator.nextElementSibling;
    while (next && !next.hasAttribute("data-seq")) next = next.nextElementSibling;
    var t = separator.querySelector("time");
    if (next && t) t.textContent = dayFormat.format(messageTime(next));
  });
  loadOutbox().forEach(showPending);
  scrollToBottom();
  // The composer is where a reader of a chat goes: focus it, unless the page was opened at a
  // message (#m12 or ?at=) or on a touch screen (the keyboard would cover the messages).
  if (textarea && !window.location.hash && window.location.search.indexOf("at=") === -1 &&
      window.matchMedia && window.matchMedia("(pointer: fine)").matches) {
    textarea.focus({ preventScroll: true });
  }
  if (live) connect();
  else setState("offline", STATES.readonly);
})();
