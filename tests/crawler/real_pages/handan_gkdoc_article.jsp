<%--
  Created by IntelliJ IDEA.
  User: Administrator
  Date: 2020/8/10 0010
  Time: 09:52
  To change this template use File | Settings | File Templates.
--%>
<%@ page contentType="text/html;charset=UTF-8" language="java" %>


<html lang="en"><script id="allow-copy_script">(function agent() {
    let unlock = false
    document.addEventListener('allow_copy', (event) => {
        unlock = event.detail.unlock
    })

    const copyEvents = [
        'copy',
        'cut',
        'contextmenu',
        'selectstart',
        'mousedown',
        'mouseup',
        'mousemove',
        'keydown',
        'keypress',
        'keyup',
    ]
    const rejectOtherHandlers = (e) => {
        if (unlock) {
            e.stopPropagation()
            if (e.stopImmediatePropagation) e.stopImmediatePropagation()
        }
    }
    copyEvents.forEach((evt) => {
        document.documentElement.addEventListener(evt, rejectOtherHandlers, {
            capture: true,
        })
    })
})()</script><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8">

    <meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1">
    <meta name="SiteName" content="邯郸市人民政府">
    <meta name="SiteDomain" content="www.hd.gov.cn">
    <meta name="SiteIDCode" content="1304000009">
    <meta name="ColumnName" content="部门信息公开">
    <meta name="ColumnDescription" content="邯郸市人民政府网信息公开平台部门信息公开栏目发布邯郸市政府各部门政府信息公开相关信息">
    <meta name="ColumnKeywords" content="邯郸，信息公开，部门，指南，年报，概况，领导，政策，文件，规划，总结，计划，年报，公告，行政，应急，会议，部署，财政，财务">
    <meta name="ColumnType" content="政策文件，信息公开">
    <meta name="ArticleTitle" content="邯郸市教育局关于印发《全市教育系统安全专项整治三年行动实施方案》的通知">
    <meta name="PubDate" content="2020年08月02日">
    <meta name="ContentSource" content="邯郸市教育局">
    <title>邯郸市教育局关于印发《全市教育系统安全专项整治三年行动实施方案》的通知</title>
    <link rel="stylesheet" type="text/css" href="../images/xxgkbase.css">
    <link rel="stylesheet" type="text/css" href="../images/xxgkindex.css">
    <link rel="stylesheet" href="../images/xxgknystyle.css">
    <script type="text/javascript" src="../images/jquery-1.9.1.min.js.下载"></script>
    <style>
        .container{background:#fff;}
        .bggggg{ margin:0 auto; width:1200px; height:29px; background:url(../../.../images/bgggggg.jpg) no-repeat top;}
        .box{ margin-top:0px;}
    </style>
    <link rel="stylesheet" href="../images/new_xxgkindex.css">
    <link href="http://www.gov.cn/govweb/xhtml/favicon.ico" rel="shortcut icon" type="image/x-icon">
</head>
<body>
<link rel="stylesheet" type="text/css" href="../images/base.css">
<link rel="stylesheet" type="text/css" href="../images/index1.css">

<div class="body_l_bg"></div>
<div class="body_r_bg"></div>
<div class="f_w clearfix" style="background: url(http://hd.gov.cn/images/body_bg.jpg) no-repeat;padding-bottom: 20px;">
    <div class="w">
        <div class="header_szf">
            <div class="logo"> <a href="http://www.hd.gov.cn/"> <img src="../images/logo1.png"> </a> </div>
            <div class="lj"> <img src="../images/icon_sjb.png"> <a href="http://www.gov.cn/" target="_blank">中国政府网站</a>｜ <a href="http://www.hebei.gov.cn/" target="_blank">河北省政府网站</a> </div>
        </div>
    </div>
</div>

<!-- 导航 -->
<div class="sx-navs">
    <ul class="sx-list">
        <li><a href="http://www.hd.gov.cn/" target="_blank">首页</a></li>
        <li><a href="http://hdzfxxgk.hd.gov.cn/">信息公开</a></li>
    </ul>
</div>
<div class="bggggg"></div>
<div class="container content" style=" margin-top:0px;">
    <div class="top cf">
        <div class="top-l fl">
            <p><strong>索引号</strong>：000014348/2020-35147</p>
            <p><strong>发布机构</strong>：邯郸市教育局</p>
            <p><strong>名称</strong>：邯郸市教育局关于印发《全市教育系统安全专项整治三年行动实施方案》的通知</p>
            <p><strong>文号</strong>：无</p>
            <!--<p><strong>主题词</strong>：安全专项整治三年行动实施方案</p>-->
        </div>
        <div class="top-r fr">
            <p><strong>主题分类</strong>：教育</p>
            <!--<p><strong>成文日期</strong>：2020年08月02日</p>-->
            <p><strong>发布日期</strong>：2020年08月02日</p>
            <p style="height: 40px;"></p>
            <!--<p><strong>有效期</strong>：</p>-->
        </div>
        <div style="clear: both;"></div>
    </div>

    <div class="dhlm clearfix">
        <ul>
            <li class="first"> <a href="http://www.hd.gov.cn/">网站首页</a> </li>
            <li> <a href="http://hd.gov.cn/zjhd/">走进邯郸</a> </li>
            <li> <a href="http://hd.gov.cn/szzc/zwl/">市长之窗</a> </li>
            <li> <a href="http://hd.gov.cn/hdyw/bddt/">邯郸信息</a> </li>
            <li> <a href="http://hd.gov.cn/zt1/">专题专栏</a> </li>
        </ul>
        <ul>
            <li class="first"> <a href="http://hdzfxxgk.hd.gov.cn/gszbm/auto23716/202008/t20200802_1352104.html#">走进邯郸</a> </li>
            <li> <a href="http://hd.gov.cn/zjhd/hdgk/zhgk/" target="_blank">邯郸概况</a> </li>
            <li> <a href="http://hd.gov.cn/zjhd/wwgj/" target="_blank">文物古迹</a> </li>
            <li> <a href="http://hd.gov.cn/zjhd/hdcy/" target="_blank">邯郸成语</a> </li>
        </ul>
        <ul>
            <li class="first"> <a href="http://hdzfxxgk.hd.gov.cn/gszbm/auto23716/202008/t20200802_1352104.html#">邯郸信息</a> </li>
            <li> <a href="http://hd.gov.cn/hdyw/hdxw/" target="_blank">邯郸新闻</a> </li>
            <li> <a href="http://hd.gov.cn/hdyw/xqdt/" target="_blank">县区动态</a> </li>
            <li> <a href="http://hd.gov.cn/hdyw/bmdt/" target="_blank">部门动态</a> </li>
            <li> <a href="http://hd.gov.cn/hdyw/fzyj/" target="_blank">防灾预警</a> </li>
            <li> <a href="http://hd.gov.cn/hdyw/hygq/" target="_blank">回应关切</a> </li>
        </ul>
        <ul>
            <li class="first"> <a href="http://hdzfxxgk.hd.gov.cn/gszbm/auto23716/202008/t20200802_1352104.html#">信息公开</a> </li>
            <li> <a href="http://hd.hbzwfw.gov.cn/" target="_blank">网上政务服务平台</a> </li>
            <li> <a href="http://hdzfxxgk.hd.gov.cn/" target="_blank">政府信息公开</a> </li>
            <li> <a href="http://hd.gov.cn/xxgk/gwyw/" target="_blank">国务要闻</a> </li>
            <li> <a href="http://hd.gov.cn/xxgk/snyw/" target="_blank">省内要闻</a> </li>
            <li> <a href="http://hdzfxxgk.hd.gov.cn/zfgb/" target="_blank">政府公报</a> </li>
            <li> <a href="http://hd.gov.cn/xxgk/zcjd" target="_blank">政策解读</a> </li>
            <li> <a href="http://hd.gov.cn/xxgk/cbjytagz/dttb" target="_blank">承办建议提案工作</a> </li>
        </ul>
        <ul>
            <li class="first"> <a href="http://hdzfxxgk.hd.gov.cn/gszbm/auto23716/202008/t20200802_1352104.html#">政民互动</a> </li>
            <li> <a href="http://hd.gov.cn/zmhd/wyly/" target="_blank">我要留言</a> </li>
            <li> <a href="http://hd.gov.cn/zmhd/gdhf/" target="_blank">更多回复</a> </li>
            <li> <a href="http://hd.gov.cn/zmhd/wycx/" target="_blank">我要查询</a> </li>
            <li> <a href="http://hd.gov.cn/zmhd/lytj/" target="_blank">留言统计</a> </li>
            <li> <a href="http://lt.hd.gov.cn/index.jhtml" target="_blank">邯郸论坛</a> </li>
            <li> <a href="http://hd.gov.cn/zmhd/yjzj/" target="_blank">意见征集</a> </li>
            <li> <a href="http://www.hd.gov.cn/qcrx/" target="_blank">清晨热线</a> </li>
        </ul>
        <ul>
            <li class="first"> <a href="http://hdzfxxgk.hd.gov.cn/gszbm/auto23716/202008/t20200802_1352104.html#">专题专栏</a> </li>
            <li> <a href="http://hd.gov.cn/ztzl/hbdczhd/" target="_blank">省委省政府生态环境保护督察在邯郸</a> </li>
            <li> <a href="http://hd.gov.cn/ztzl/czyjs/" target="_blank">财政预决算</a> </li>
            <li> <a href="http://hd.gov.cn/ztzl/sn/" target="_blank">三农专栏</a> </li>
            <li> <a href="http://hd.gov.cn/ztzl/ndgzbb" target="_blank">政府网站年度工作报表</a> </li>
            <li> <a href="http://hd.gov.cn/ztzl/wzjc" target="_blank">政府网站建设管理专栏</a> </li>
            <li> <a href="http://hd.gov.cn/ztzl/hbdczl" target="_blank">大气污染综合治理督查信息公开</a> </li>
            <li> <a href="http://hd.gov.cn/ztzl/yshbzx/" target="_blank">饮用水水源地环境保护专项行动</a> </li>
            <li> <a href="http://hd.gov.cn/ztzl/hbdchtk/" target="_blank">省委省政府环保督察“回头看”</a> </li>
            <li> <a href="http://hd.gov.cn/ztzl/lslm/" target="_blank">历史栏目</a> </li>
        </ul>
    </div>
    <div class="footer_bg">
        <div class="footer">
            <ul>
                <li> <a href="http://hd.gov.cn/">返回首页</a>| </li>
                <li> <a href="http://hd.gov.cn/wzsm/201709/t20170912_719157.html" target="_blank">网站声明</a>| </li>
                <li> <a href="http://hd.gov.cn/lxwm/201709/t20170912_719159.html" target="_blank">联系我们</a>| </li>
                <li> <a href="http://hd.gov.cn/wzdt/" target="_blank">网站地图</a>| </li>
                <li> <a href="http://hd.gov.cn/bz/" target="_blank">帮助</a> </li>
            </ul>
            <p>邯郸市人民政府 <a href="http://www.beian.miit.gov.cn/"><font style="color:#333;">冀ICP备05029117号-1</font></a> </p>
            <p><a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=13042002000523" target="_blank"><font style="color:#333;">冀公网安备 13042002000523号</font> </a></p>
            <p>网站标识码 1304000009 </p>
            <p>主办单位： 邯郸市人民政府办公室 </p>
            <div class="img img1"><script type="text/javascript">document.write(unescape("%3Cspan id='_ideConac' %3E%3C/span%3E%3Cscript src='http://dcs.conac.cn/js/05/107/0000/41468768/CA051070000414687680001.js' type='text/javascript'%3E%3C/script%3E"));</script><span id="_ideConac"><a href="http://bszs.conac.cn/sitename?method=show&amp;id=0A87C46FEE4D331AE053022819ACDC8C" target="_blank"><img id="imgConac" vspace="0" hspace="0" border="0" src="../images/red.png" data-bd-imgshare-binded="1"></a></span><script src="../images/CA051070000414687680001.js.下载" type="text/javascript"></script><span id="_ideConac"></span></div>
            <div class="img img2"><script id="_jiucuo_" sitecode="1304000009" src="../images/jiucuo.js.下载"></script></div>
        </div>
    </div>
</div>

</body></html>



