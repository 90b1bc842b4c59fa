// A textlint rule that performs the checks of citelint's built-in Science X pack, so the
// benchmark compares the same work. Used only by scripts/bench.sh.
"use strict";

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December"];
const HOSTS = ["phys.org", "medicalxpress.com", "techxplore.com", "sciencex.com"];
const SHORTENERS = ["bit.ly", "ift.tt", "t.co", "tinyurl.com", "ow.ly", "buff.ly", "goo.gl", "is.gd", "dlvr.it", "trib.al"];

function realDate(year, month, day) {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? d : null;
}

function parseCitationDate(text) { // YYYY, Month D
  const m = /^(\d{4}), ([A-Z][a-z]+) (\d{1,2})$/.exec(text.trim());
  return m && MONTHS.includes(m[2]) ? realDate(+m[1], MONTHS.indexOf(m[2]) + 1, +m[3]) : null;
}

function parseRetrieved(text) { // D Month YYYY
  const m = /^(\d{1,2}) ([A-Z][a-z]+) (\d{4})$/.exec(text.trim());
  return m && MONTHS.includes(m[2]) ? realDate(+m[3], MONTHS.indexOf(m[2]) + 1, +m[1]) : null;
}

function norm(text) {
  return text.replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"').replace(/\s+/g, " ").trim().toLowerCase();
}

module.exports = function (context) {
  const { Syntax, RuleError, report, getSource } = context;
  return {
    [Syntax.Document](node) {
      const raw = getSource(node);
      const text = raw.replace(/<\/?[A-Za-z][^<>]*>/g, "").replace(/\*\*/g, "")
        .replace(/\[([^\]]*)\]\(([^)\s]+)\)/g, (all, t, u) => (t === u ? u : `${t} (${u})`));
      const applies = /^[ \t]*Citation[ \t]*:.*[ \t]retrieved[ \t]/m.test(text) || /^[ \t]*This document is subject to copyright\./m.test(text);
      if (!applies) return;
      const problem = (message, index) => report(node, new RuleError(message, { index: Math.max(0, index) }));
      const lines = text.split(/\r?\n/).filter((l) => l.trim() && !/^---$/.test(l.trim()));
      const body = text.replace(/^---[\s\S]*?\n---\n/, "");
      const headline = (body.split(/\r?\n/).find((l) => l.trim()) || "").replace(/^#+\s*/, "").trim();
      const dateline = lines.slice(0, 6).map((l) => /^([A-Z][a-z]+) (\d{1,2}),? (\d{4})(?:,? by .*)?$/.exec(l.trim())).find(Boolean);
      const published = dateline && MONTHS.includes(dateline[1]) ? realDate(+dateline[3], MONTHS.indexOf(dateline[1]) + 1, +dateline[2]) : null;
      if (!dateline) problem("no dateline", 0);
      const credit = /(?:©|\([cC]\)|\bCopyright\b)[ \t]*(\d{4})[ \t]*([^\r\n.;]*)/.exec(text);
      if (!credit) problem("credit line is missing", text.length);
      else if (published && +credit[1] !== published.getUTCFullYear()) problem("credit year is not the publication year", credit.index);
      const line = /^[ \t]*Citation[ \t]*:[ \t]*(.*)$/m.exec(text);
      if (!line) { problem("citation is missing", text.length); return; }
      if (!/\bretrieved\b/.test(line[1])) { problem("citation has no retrieval clause", line.index); return; }
      const c = /^[ \t]*Citation: (\S.*) \(([^()]+)\) retrieved (\S.*?) from (\S+?)\.?[ \t]*$/m.exec(text);
      if (!c) { problem("citation is not in the Science X format", line.index); return; }
      const [, title, date, retrieved, urlText] = c;
      if (norm(title) !== norm(headline)) problem("citation title differs from the headline", c.index);
      const citedDate = parseCitationDate(date);
      if (!citedDate) problem("citation date is not valid", c.index);
      else if (published && citedDate.getTime() !== published.getTime()) problem("citation date is not the dateline", c.index);
      const retrievedDate = parseRetrieved(retrieved);
      if (!retrievedDate) problem("retrieval date is not valid", c.index);
      else {
        if (citedDate && retrievedDate < citedDate) problem("retrieved before publication", c.index);
        if (retrievedDate.getTime() > Date.now() + 86400000) problem("retrieval date is in the future", c.index);
      }
      let url;
      try { url = new URL(urlText); } catch (e) { problem("citation URL is not valid", c.index); }
      if (url) {
        if (url.protocol !== "https:") problem("citation URL is not https", c.index);
        const host = url.hostname;
        const listed = (list) => list.some((h) => host === h || host.endsWith("." + h));
        if (!listed(HOSTS)) problem("not a Science X host", c.index);
        if (listed(SHORTENERS)) problem("link shortener", c.index);
        for (const name of url.searchParams.keys()) {
          if (/^utm_/i.test(name) || ["fbclid", "gclid", "mc_cid", "mc_eid", "_ga"].includes(name.toLowerCase())) problem(`tracking parameter ${name}`, c.index);
        }
        const path = /^\/news\/(\d{4})-(\d{2})-([^/]+?)(?:\.html?)?$/.exec(url.pathname);
        if (path) {
          if (published && (+path[1] !== published.getUTCFullYear() || +path[2] !== published.getUTCMonth() + 1)) problem("URL year-month is not the publication date", c.index);
          const words = norm(headline).replace(/'/g, "").split(/[^a-z0-9]+/).filter(Boolean);
          let at = 0;
          for (const [i, w] of path[3].split(/[^a-z0-9]+/i).filter(Boolean).entries()) {
            const last = i === path[3].split(/[^a-z0-9]+/i).filter(Boolean).length - 1;
            const found = words.slice(at).findIndex((h) => h === w.toLowerCase() || (last && h.startsWith(w.toLowerCase())));
            if (found < 0) { problem(`slug word ${w} is not in the headline`, c.index); break; }
            at += found + 1;
          }
        }
      }
      if (!/^[ \t]*This document is subject to copyright\./m.test(text.slice(c.index))) problem("copyright disclaimer is missing", c.index);
    },
  };
};
