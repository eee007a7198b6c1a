// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// Five minutes before the idle sign-out (or at four fifths of a short limit), warn, and let
// the person stay signed in: any request renews the session.
const body = document.body;
const idle = Number(body.dataset.sessionIdleSeconds || 0);
const keepAlive = body.dataset.keepAliveUrl;
const warning = document.getElementById("session-warning");
if (idle && keepAlive && warning) {
  const warnAfter = Math.max(idle - 300, idle * 0.8) * 1000;
  let timer;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      warning.hidden = false;
      document.getElementById("stay-signed-in")?.focus();
    }, warnAfter);
  };
  document.getElementById("stay-signed-in")?.addEventListener("click", async () => {
    await fetch(keepAlive, { credentials: "same-origin" });
    warning.hidden = true;
    arm();
  });
  arm();
}

// A passkey the browser could not create or use (cancelled, timed out, no authenticator):
// say so on the page, rather than only in the console.
const passkeyError = document.getElementById("passkey-error");
if (passkeyError) {
  document.addEventListener("allauth.error", (event) => {
    event.preventDefault();
    passkeyError.hidden = false;
    passkeyError.setAttribute("tabindex", "-1");
    passkeyError.focus();
  });
}

// A list of people that belongs to a chosen agency (data-filter-by names the agency select):
// show only that agency's people. Without JavaScript all are listed, and the server refuses
// a person from another agency.
for (const people of document.querySelectorAll("select[data-filter-by]")) {
  const agency = document.getElementById(people.dataset.filterBy);
  if (!agency) continue;
  const options = Array.from(people.options).filter((option) => option.dataset.agency);
  const filter = () => {
    for (const option of options) {
      const shown = !agency.value || option.dataset.agency === agency.value;
      option.hidden = !shown;
      option.disabled = !shown;
      if (!shown && option.selected) people.value = "";
    }
  };
  agency.addEventListener("change", filter);
  filter();
}
