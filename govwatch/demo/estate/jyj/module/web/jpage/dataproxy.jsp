<?xml version="1.0" encoding="UTF-8"?>
<datastore>
<totalrecord>4</totalrecord>
<totalpage>1</totalpage>
<recordset>
<record><![CDATA[<li><a href='/art/2026/11/20/art_101_5001.html' title='关于做好2026年下半年中小学教师资格认定工作的通知' target='_blank'>关于做好2026年下半年中小学教师资格认定工作的通知</a><span>2026-11-20</span></li>]]></record>
<record><![CDATA[<li><a href='/art/2026/11/18/art_101_5002.html' title='关于2027年初中学业水平考试考务工作安排的通知' target='_blank'>关于2027年初中学业水平考试考务工作安排的通知</a><span>2026-11-18</span></li>]]></record>
<record><![CDATA[<li><a href='/art/2026/11/16/art_101_5003.html' title='某某中学举行建校九十周年校庆活动' target='_blank'>某某中学举行建校九十周年校庆活动</a><span>2026-11-16</span></li>]]></record>
<record><![CDATA[<li><a href='/art/2026/11/12/art_101_5004.html' title='关于开展中小学校园安全隐患排查整治的通知' target='_blank'>关于开展中小学校园安全隐患排查整治的通知</a><span>2026-11-12</span></li>]]></record>
</recordset>
</datastore>
