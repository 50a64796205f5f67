// Click-to-load video facades (templates/partials/video-facade.html): the link to the video on
// YouTube or Vimeo becomes a button that replaces the poster with the service's privacy-preserving
// player (youtube-nocookie.com, Vimeo with dnt=1). Nothing is requested from the service before.
// Only those two players are ever loaded: a `data-player` with any other address (raw HTML in a
// story can carry the facade's class and attributes) is left a plain link.
(function () {
  "use strict";
  var PLAYERS = /^https:\/\/(www\.youtube-nocookie\.com\/embed\/|player\.vimeo\.com\/video\/)[\w-]+\?/;
  function activate(box) {
    var link = box.querySelector("a.facade");
    var player = box.getAttribute("data-player");
    if (!link || !player || !PLAYERS.test(player) || box.getAttribute("data-ready")) return;
    box.setAttribute("data-ready", "1");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "facade";
    while (link.firstChild) button.appendChild(link.firstChild);
    link.replaceWith(button);
    button.addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.src = player;
      frame.title = box.getAttribute("data-title") || "Video";
      frame.allow = "autoplay; encrypted-media; fullscreen; picture-in-picture";
      frame.allowFullscreen = true;
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      box.classList.add("player-embed");
      box.replaceChildren(frame);
      frame.focus();
    });
  }
  function init() {
    document.querySelectorAll(".player-facade[data-player]").forEach(activate);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
