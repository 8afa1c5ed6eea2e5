// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // The citation page: bring the quote into the middle of the view (a #quote link already jumps there).
  function showQuote() {
    var mark = document.querySelector("div.text mark[id]");
    if (mark) {
      mark.scrollIntoView({ block: "center" });
    }
  }

  // "Copy citation": the clipboard API where allowed; otherwise select the text for Ctrl+C.
  function setUpCopy() {
    var buttons = document.querySelectorAll("button[data-copy]");
    Array.prototype.forEach.call(buttons, function (button) {
      var box = document.getElementById(button.getAttribute("data-copy"));
      var status = button.parentNode.querySelector(".copy-status");
      if (!box) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        function selected() {
          box.focus();
          box.select();
          if (status) { status.textContent = "Selected: press Ctrl+C to copy"; }
        }
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(box.value).then(function () {
            if (status) { status.textContent = "Copied"; }
          }, selected);
        } else {
          selected();
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    showQuote();
    setUpCopy();
  });
})();
