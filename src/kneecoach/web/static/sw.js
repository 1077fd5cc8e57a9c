// kneecoach's service worker: served as /sw.js (scope /) with VERSION filled in by the server.
// It keeps the app shell and the Today and check-in pages, so they open with no network.
// Pages: the network first, this device's copy when the network fails.
// Writes (POST) and the JSON API always go to the network: nothing sent is ever cached.
"use strict";

var VERSION = "__VERSION__";
var CACHE = "kneecoach-" + VERSION;
var SHELL = __SHELL__;
var PAGES = ["/today", "/checkin", "/offline"];
var KEPT_POSTS = ["/checkin", "/today/log"];

// A copy keeps the time it was saved, so a page from this device can say how old it is.
function stamped(response) {
  return response.blob().then(function (body) {
    var headers = new Headers(response.headers);
    headers.set("x-kneecoach-saved", new Date().toISOString());
    return new Response(body, { status: response.status, statusText: response.statusText, headers: headers });
  });
}

// A page from this device is marked on its <html> element, so its script knows.
function marked(copy, why) {
  return copy.text().then(function (html) {
    var headers = new Headers(copy.headers);
    headers.delete("content-length");
    var mark = ' data-from-cache="' + (copy.headers.get("x-kneecoach-saved") || "") + '"';
    if (why) mark += ' data-offline-why="' + why + '"';
    return new Response(html.replace("<html ", "<html" + mark + " "), { status: 200, headers: headers });
  });
}

function keep(path) {
  return fetch(path, { credentials: "same-origin" }).then(function (response) {
    if (!response.ok || response.redirected) return null;
    return stamped(response).then(function (copy) {
      return caches.open(CACHE).then(function (cache) { return cache.put(path, copy); });
    });
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE)
      .then(function (cache) { return cache.addAll(SHELL); })
      .then(function () { return Promise.all(PAGES.map(keep)); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (names) {
        return Promise.all(names.filter(function (name) {
          return name.indexOf("kneecoach-") === 0 && name !== CACHE;
        }).map(function (name) { return caches.delete(name); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

function fromDevice(path, why) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(path).then(function (hit) {
      return hit || cache.match("/offline");
    });
  }).then(function (hit) { return hit ? marked(hit, why) : Response.error(); });
}

function page(request, url) {
  var path = PAGES.indexOf(url.pathname) >= 0 ? url.pathname : "/offline";
  var kept = PAGES.indexOf(url.pathname) >= 0 && !url.search;
  return fetch(request).then(function (response) {
    if (kept && response.ok && !response.redirected && response.type === "basic") {
      stamped(response.clone()).then(function (copy) {
        return caches.open(CACHE).then(function (cache) { return cache.put(url.pathname, copy); });
      });
    }
    return response;
  }, function () { return fromDevice(path, "offline"); });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) return;
  if (request.method === "POST" && request.mode === "navigate" && KEPT_POSTS.indexOf(url.pathname) >= 0) {
    // Sent by the browser while its page thought it was online: if the network fails, say so
    // (the page behind keeps what was typed); nothing here stores the form.
    event.respondWith(fetch(request).catch(function () { return fromDevice("/offline", "not-sent"); }));
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(page(request, url));
  } else if (SHELL.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.match(url.pathname).then(function (hit) { return hit || fetch(request); }));
  }
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  event.waitUntil(
    self.clients.matchAll({ type: "window" }).then(function (open) {
      for (var i = 0; i < open.length; i += 1) {
        if ("focus" in open[i]) return open[i].navigate("/today").then(function (c) { return c && c.focus(); });
      }
      return self.clients.openWindow("/today");
    })
  );
});
