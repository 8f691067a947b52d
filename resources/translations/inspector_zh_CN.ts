<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>BitEditor</name>
        <message>
            <source>bit {0}</source>
            <translation>第 {0} 位</translation>
        </message>
        <message>
            <source>{0} reserved ({1})</source>
            <translation>{0} 保留（{1}）</translation>
        </message>
        <message>
            <source>reserved by RFC 6455 §5.2: a receiver must fail the connection</source>
            <translation>RFC 6455 §5.2 保留：接收方必须使连接失败</translation>
        </message>
        <message>
            <source>opcode</source>
            <translation>操作码</translation>
        </message>
        <message>
            <source>bits 4-7</source>
            <translation>第 4-7 位</translation>
        </message>
        <message>
            <source>bit 8</source>
            <translation>第 8 位</translation>
        </message>
        <message>
            <source>shortest</source>
            <translation>最短</translation>
        </message>
        <message>
            <source>7-bit</source>
            <translation>7 位</translation>
        </message>
        <message>
            <source>16-bit</source>
            <translation>16 位</translation>
        </message>
        <message>
            <source>64-bit</source>
            <translation>64 位</translation>
        </message>
        <message>
            <source>payload len</source>
            <translation>载荷长度</translation>
        </message>
        <message>
            <source>bits 9-15</source>
            <translation>第 9-15 位</translation>
        </message>
        <message>
            <source>declare</source>
            <translation>声明</translation>
        </message>
        <message>
            <source>Write a length that differs from the payload's real length</source>
            <translation>写入一个与载荷实际长度不同的长度</translation>
        </message>
        <message>
            <source>bytes</source>
            <translation>字节</translation>
        </message>
        <message>
            <source>extended length</source>
            <translation>扩展长度</translation>
        </message>
        <message>
            <source>bits 16-31 (or -79)</source>
            <translation>第 16-31 位（或到 79）</translation>
        </message>
        <message>
            <source>random for each send</source>
            <translation>每次发送随机生成</translation>
        </message>
        <message>
            <source>fixed</source>
            <translation>固定</translation>
        </message>
        <message>
            <source>none written</source>
            <translation>不写入</translation>
        </message>
        <message>
            <source>New key</source>
            <translation>新掩码键</translation>
        </message>
        <message>
            <source>Draw another random key for the preview</source>
            <translation>为预览重新随机生成一个掩码键</translation>
        </message>
        <message>
            <source>masking-key</source>
            <translation>掩码键</translation>
        </message>
        <message>
            <source>32 bits, when written</source>
            <translation>写入时占 32 位</translation>
        </message>
        <message>
            <source>payload data</source>
            <translation>载荷数据</translation>
        </message>
        <message>
            <source>after the header</source>
            <translation>位于帧头之后</translation>
        </message>
        <message>
            <source>Text (UTF-8)</source>
            <translation>UTF-8 文本</translation>
        </message>
        <message>
            <source>Hex</source>
            <translation>十六进制</translation>
        </message>
        <message>
            <source>File</source>
            <translation>文件</translation>
        </message>
        <message>
            <source>Status code and reason</source>
            <translation>关闭码和原因</translation>
        </message>
        <message>
            <source>Payload</source>
            <translation>载荷</translation>
        </message>
        <message>
            <source>No file chosen</source>
            <translation>未选择文件</translation>
        </message>
        <message>
            <source>Choose file…</source>
            <translation>选择文件…</translation>
        </message>
        <message>
            <source>status code</source>
            <translation>关闭码</translation>
        </message>
        <message>
            <source>reason (UTF-8)</source>
            <translation>原因（UTF-8）</translation>
        </message>
        <message>
            <source>Close body: a 2-byte status code, then a UTF-8 reason (RFC 6455 §5.5.1)</source>
            <translation>Close 帧载荷：2 字节关闭码，后跟 UTF-8 原因（RFC 6455 §5.5.1）</translation>
        </message>
        <message>
            <source>masking key</source>
            <translation>掩码键</translation>
        </message>
        <message>
            <source>the masking key is 4 bytes (8 hex digits), not {0}</source>
            <translation>掩码键是 4 个字节（8 个十六进制数字），而不是 {0}</translation>
        </message>
        <message>
            <source>payload</source>
            <translation>载荷</translation>
        </message>
        <message>
            <source>a status code is a number from 0 to 65535</source>
            <translation>关闭码是 0 到 65535 之间的数</translation>
        </message>
        <message>
            <source>the declared length is a number from 0 to 2^64-1</source>
            <translation>声明的长度是 0 到 2^64-1 之间的数</translation>
        </message>
        <message>
            <source>{0} is larger than 16 MiB</source>
            <translation>{0} 大于 16 MiB</translation>
        </message>
        <message>
            <source>{0} ({1} bytes)</source>
            <translation>{0}（{1} 字节）</translation>
        </message>
        <message>
            <source>Payload from a file</source>
            <translation>从文件读取载荷</translation>
        </message>
        <message>
            <source>ping application data</source>
            <translation>Ping 应用数据</translation>
        </message>
        <message>
            <source>pong application data</source>
            <translation>Pong 应用数据</translation>
        </message>
        <message>
            <source>close body</source>
            <translation>Close 帧载荷</translation>
        </message>
        <message>
            <source>= {0}</source>
            <translation>= {0}</translation>
        </message>
        <message>
            <source>real {0}, declared {1}</source>
            <translation>实际 {0}，声明 {1}</translation>
        </message>
    </context>
    <context>
        <name>CalculatorDialog</name>
        <message>
            <source>✓ matches the expected value</source>
            <translation>✓ 与期望值一致</translation>
        </message>
        <message>
            <source>✗ does not match the expected value</source>
            <translation>✗ 与期望值不一致</translation>
        </message>
        <message>
            <source>Handshake Calculator</source>
            <translation>握手计算器</translation>
        </message>
        <message>
            <source>RFC 6455</source>
            <translation>RFC 6455</translation>
        </message>
        <message>
            <source>draft-hixie-76</source>
            <translation>draft-hixie-76</translation>
        </message>
    </context>
    <context>
        <name>ConnectDialog</name>
        <message>
            <source>Connect</source>
            <translation>连接</translation>
        </message>
        <message>
            <source>Start lab server</source>
            <translation>启动实验服务器</translation>
        </message>
        <message>
            <source>Start the bundled server on 127.0.0.1 and use its URL</source>
            <translation>在 127.0.0.1 上启动自带的服务器并使用它的 URL</translation>
        </message>
        <message>
            <source>Name: value, one a line</source>
            <translation>名称: 值，每行一个</translation>
        </message>
        <message>
            <source>none sent</source>
            <translation>不发送</translation>
        </message>
        <message>
            <source>chat, superchat</source>
            <translation>chat, superchat</translation>
        </message>
        <message>
            <source>offer permessage-deflate (RFC 7692)</source>
            <translation>提议 permessage-deflate（RFC 7692）</translation>
        </message>
        <message>
            <source>not asked</source>
            <translation>不要求</translation>
        </message>
        <message>
            <source>wss: accept any certificate (self-signed lab servers)</source>
            <translation>wss：接受任何证书（自签名的实验服务器）</translation>
        </message>
        <message>
            <source>connect</source>
            <translation>连接</translation>
        </message>
        <message>
            <source>handshake</source>
            <translation>握手</translation>
        </message>
        <message>
            <source>idle</source>
            <translation>空闲</translation>
        </message>
        <message>
            <source>URL</source>
            <translation>URL</translation>
        </message>
        <message>
            <source>Lab server</source>
            <translation>实验服务器</translation>
        </message>
        <message>
            <source>Headers</source>
            <translation>首部</translation>
        </message>
        <message>
            <source>Origin</source>
            <translation>Origin</translation>
        </message>
        <message>
            <source>Subprotocols</source>
            <translation>子协议</translation>
        </message>
        <message>
            <source>Timeouts</source>
            <translation>超时</translation>
        </message>
        <message>
            <source>The lab server did not start: {0}</source>
            <translation>实验服务器未能启动：{0}</translation>
        </message>
    </context>
    <context>
        <name>ConnectionStateStrip</name>
        <message>
            <source>connecting</source>
            <translation>连接中</translation>
        </message>
        <message>
            <source>open</source>
            <translation>已打开</translation>
        </message>
        <message>
            <source>closing</source>
            <translation>关闭中</translation>
        </message>
        <message>
            <source>closed</source>
            <translation>已关闭</translation>
        </message>
        <message>
            <source>No connection selected</source>
            <translation>未选择连接</translation>
        </message>
        <message>
            <source>the client</source>
            <translation>客户端</translation>
        </message>
        <message>
            <source>the server</source>
            <translation>服务器</translation>
        </message>
        <message>
            <source>{0} sent Close, {1} answered</source>
            <translation>{0}发送了 Close，{1}已应答</translation>
        </message>
        <message>
            <source>{0} sent Close, {1} has not answered</source>
            <translation>{0}发送了 Close，{1}尚未应答</translation>
        </message>
        <message>
            <source>the server refused the handshake</source>
            <translation>服务器拒绝了握手</translation>
        </message>
        <message>
            <source>waiting for the handshake</source>
            <translation>等待握手</translation>
        </message>
        <message>
            <source>not seen yet</source>
            <translation>尚未出现</translation>
        </message>
        <message>
            <source>no Close frame yet</source>
            <translation>尚无 Close 帧</translation>
        </message>
        <message>
            <source>connection {0}: {1} · {2} frames, {3} messages so far</source>
            <translation>连接 {0}：{1} · 到目前为止 {2} 个帧，{3} 条消息</translation>
        </message>
        <message>
            <source> · the TCP connection ended</source>
            <translation> · TCP 连接已结束</translation>
        </message>
    </context>
    <context>
        <name>ConnectionsModel</name>
        <message>
            <source>#</source>
            <translation>#</translation>
        </message>
        <message>
            <source>Client</source>
            <translation>客户端</translation>
        </message>
        <message>
            <source>Server</source>
            <translation>服务器</translation>
        </message>
        <message>
            <source>Protocol</source>
            <translation>协议</translation>
        </message>
        <message>
            <source>Frames</source>
            <translation>帧数</translation>
        </message>
        <message>
            <source>Violations</source>
            <translation>违规</translation>
        </message>
        <message>
            <source> (refused {0})</source>
            <translation>（被拒绝 {0}）</translation>
        </message>
        <message>
            <source> (no handshake seen)</source>
            <translation>（未见握手）</translation>
        </message>
    </context>
    <context>
        <name>CrafterWidget</name>
        <message>
            <source>Frame</source>
            <translation>帧</translation>
        </message>
        <message>
            <source>Fragment</source>
            <translation>分片</translation>
        </message>
        <message>
            <source>Templates</source>
            <translation>模板</translation>
        </message>
        <message>
            <source>not connected</source>
            <translation>未连接</translation>
        </message>
        <message>
            <source>Connect…</source>
            <translation>连接…</translation>
        </message>
        <message>
            <source>Disconnect</source>
            <translation>断开</translation>
        </message>
        <message>
            <source>Reconnect</source>
            <translation>重新连接</translation>
        </message>
        <message>
            <source>Auto-pong</source>
            <translation>自动 Pong</translation>
        </message>
        <message>
            <source>Answer the server's Pings at once (RFC 6455 §5.5.2)</source>
            <translation>立即应答服务器的 Ping（RFC 6455 §5.5.2）</translation>
        </message>
        <message>
            <source>no heartbeat</source>
            <translation>无心跳</translation>
        </message>
        <message>
            <source>heartbeat </source>
            <translation>心跳 </translation>
        </message>
        <message>
            <source>Send</source>
            <translation>发送</translation>
        </message>
        <message>
            <source>Send the frames the preview shows and judge the answer</source>
            <translation>发送预览中的帧并评判应答</translation>
        </message>
        <message>
            <source>one write</source>
            <translation>一次写入</translation>
        </message>
        <message>
            <source> B per write</source>
            <translation> 字节/次写入</translation>
        </message>
        <message>
            <source> ms between</source>
            <translation> 毫秒间隔</translation>
        </message>
        <message>
            <source>wait </source>
            <translation>等待 </translation>
        </message>
        <message>
            <source>deflate agreed</source>
            <translation>已协商 deflate</translation>
        </message>
        <message>
            <source>Judge RSV1 as permessage-deflate's bit (set when the server agrees)</source>
            <translation>把 RSV1 当作 permessage-deflate 的标志位来评判（服务器同意时自动勾选）</translation>
        </message>
        <message>
            <source>RTT {0:.1f} ms</source>
            <translation>RTT {0:.1f} 毫秒</translation>
        </message>
        <message>
            <source>connecting</source>
            <translation>连接中</translation>
        </message>
        <message>
            <source>open</source>
            <translation>已打开</translation>
        </message>
        <message>
            <source>closing</source>
            <translation>关闭中</translation>
        </message>
        <message>
            <source>closed</source>
            <translation>已关闭</translation>
        </message>
        <message>
            <source>State: {0}{1}{2}</source>
            <translation>状态：{0}{1}{2}</translation>
        </message>
        <message>
            <source>{0} crafted frame(s)</source>
            <translation>{0} 个构造的帧</translation>
        </message>
        <message>
            <source>sending {0}; a compliant server answers: {1}</source>
            <translation>正在发送 {0}；合规的服务器应答：{1}</translation>
        </message>
        <message>
            <source>Connect first: Send uses the open connection.</source>
            <translation>请先连接：发送使用已打开的连接。</translation>
        </message>
        <message>
            <source>sending template {0}</source>
            <translation>正在发送模板 {0}</translation>
        </message>
        <message>
            <source>Connect once first: the category runs against that URL.</source>
            <translation>请先连接一次：该类别将针对那个 URL 运行。</translation>
        </message>
        <message>
            <source>Export results</source>
            <translation>导出结果</translation>
        </message>
        <message>
            <source>Save as template</source>
            <translation>另存为模板</translation>
        </message>
        <message>
            <source>Name:</source>
            <translation>名称：</translation>
        </message>
        <message>
            <source>{0} frame(s) made in the crafter</source>
            <translation>在构造器中生成的 {0} 个帧</translation>
        </message>
        <message>
            <source>Saved {0} to {1}</source>
            <translation>已将 {0} 保存到 {1}</translation>
        </message>
    </context>
    <context>
        <name>Expect</name>
        <message>
            <source>the same message echoed</source>
            <translation>原样回显同一条消息</translation>
        </message>
        <message>
            <source>a Pong with the Ping's data</source>
            <translation>一个携带该 Ping 数据的 Pong</translation>
        </message>
        <message>
            <source>no reply</source>
            <translation>不应答</translation>
        </message>
    </context>
    <context>
        <name>ExplanationPane</name>
        <message>
            <source>Select a field to read what it means and which rule governs it.</source>
            <translation>选择一个字段，阅读它的含义以及约束它的规则。</translation>
        </message>
        <message>
            <source>bits {0}–{1} of the frame</source>
            <translation>帧的第 {0}–{1} 位</translation>
        </message>
        <message>
            <source>Value: {0}</source>
            <translation>值：{0}</translation>
        </message>
        <message>
            <source>Broken here:</source>
            <translation>此处违反：</translation>
        </message>
    </context>
    <context>
        <name>FieldTreeModel</name>
        <message>
            <source>Field</source>
            <translation>字段</translation>
        </message>
        <message>
            <source>Value</source>
            <translation>值</translation>
        </message>
    </context>
    <context>
        <name>FilterBar</name>
        <message>
            <source>Display filter, e.g. websocket.opcode == 9 — Enter applies</source>
            <translation>显示过滤器，例如 websocket.opcode == 9 —— 按回车应用</translation>
        </message>
        <message>
            <source>No control</source>
            <translation>隐藏控制帧</translation>
        </message>
        <message>
            <source>Hide control frames (Close, Ping, Pong)</source>
            <translation>隐藏控制帧（Close、Ping、Pong）</translation>
        </message>
        <message>
            <source>Violations</source>
            <translation>违规</translation>
        </message>
        <message>
            <source>Show only frames that break a rule</source>
            <translation>只显示违反规则的帧</translation>
        </message>
        <message>
            <source>Both directions</source>
            <translation>双向</translation>
        </message>
        <message>
            <source>Client → server</source>
            <translation>客户端 → 服务器</translation>
        </message>
        <message>
            <source>Server → client</source>
            <translation>服务器 → 客户端</translation>
        </message>
    </context>
    <context>
        <name>FramesModel</name>
        <message>
            <source>(part {0} of {1} of a compressed message)</source>
            <translation>（压缩消息 {1} 部分中的第 {0} 部分）</translation>
        </message>
        <message>
            <source>(inflated) </source>
            <translation>（已解压）</translation>
        </message>
        <message>
            <source>C → S</source>
            <translation>客 → 服</translation>
        </message>
        <message>
            <source>S → C</source>
            <translation>服 → 客</translation>
        </message>
        <message>
            <source>#</source>
            <translation>#</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>时间</translation>
        </message>
        <message>
            <source>Dir</source>
            <translation>方向</translation>
        </message>
        <message>
            <source>Opcode</source>
            <translation>操作码</translation>
        </message>
        <message>
            <source>Flags</source>
            <translation>标志</translation>
        </message>
        <message>
            <source>Length</source>
            <translation>长度</translation>
        </message>
        <message>
            <source>Payload</source>
            <translation>载荷</translation>
        </message>
        <message>
            <source>Violations</source>
            <translation>违规</translation>
        </message>
        <message>
            <source>{0} · packets {1}</source>
            <translation>{0} · 数据包 {1}</translation>
        </message>
    </context>
    <context>
        <name>HandshakeComparison</name>
        <message>
            <source>Select a connection to compare its handshake with the other drafts.</source>
            <translation>选择一个连接，把它的握手与其他草案版本的握手进行比较。</translation>
        </message>
    </context>
    <context>
        <name>HandshakePane</name>
        <message>
            <source>Select a connection to see its opening handshake.</source>
            <translation>选择一个连接以查看它的开始握手。</translation>
        </message>
        <message>
            <source>Connection notes:</source>
            <translation>连接备注：</translation>
        </message>
        <message>
            <source>Capture notes:</source>
            <translation>抓包备注：</translation>
        </message>
    </context>
    <context>
        <name>HexPane</name>
        <message>
            <source>frame {0}</source>
            <translation>帧 {0}</translation>
        </message>
        <message>
            <source>frames {0}–{1}</source>
            <translation>帧 {0}–{1}</translation>
        </message>
        <message>
            <source>Message of {0}, inflated: {1} bytes</source>
            <translation>{0} 的消息，已解压：{1} 字节</translation>
        </message>
        <message>
            <source>Frame {0} with its payload unmasked (XOR with {1}): {2} bytes</source>
            <translation>帧 {0}，载荷已去掩码（与 {1} 异或）：{2} 字节</translation>
        </message>
        <message>
            <source>Frame {0} as captured: {1} bytes, payload masked</source>
            <translation>帧 {0} 抓包原样：{1} 字节，载荷带掩码</translation>
        </message>
        <message>
            <source>Frame {0} as captured: {1} bytes</source>
            <translation>帧 {0} 抓包原样：{1} 字节</translation>
        </message>
    </context>
    <context>
        <name>HexView</name>
        <message>
            <source>… {0} more bytes not shown</source>
            <translation>… 还有 {0} 字节未显示</translation>
        </message>
    </context>
    <context>
        <name>Hixie76Tab</name>
        <message>
            <source>8 bytes in hex, e.g. 546d5b4b20543275</source>
            <translation>8 个字节的十六进制，例如 546d5b4b20543275</translation>
        </message>
        <message>
            <source>optional: 32 hex digits or the 16 characters</source>
            <translation>可选：32 个十六进制数字或那 16 个字符</translation>
        </message>
        <message>
            <source>Sec-WebSocket-Key&amp;1:</source>
            <translation>Sec-WebSocket-Key&amp;1：</translation>
        </message>
        <message>
            <source>Sec-WebSocket-Key&amp;2:</source>
            <translation>Sec-WebSocket-Key&amp;2：</translation>
        </message>
        <message>
            <source>&amp;Body (key3, hex):</source>
            <translation>请求体(&amp;B)（key3，十六进制）：</translation>
        </message>
        <message>
            <source>&amp;Expected answer:</source>
            <translation>期望的应答(&amp;E)：</translation>
        </message>
        <message>
            <source>Type Key1, Key2 and the 8-byte body to see the MD5 answer worked out.</source>
            <translation>输入 Key1、Key2 和 8 字节的请求体，即可看到 MD5 应答的逐步计算。</translation>
        </message>
    </context>
    <context>
        <name>LanguageSwitch</name>
        <message>
            <source>&amp;View</source>
            <translation>视图(&amp;V)</translation>
        </message>
        <message>
            <source>&amp;Language</source>
            <translation>语言(&amp;L)</translation>
        </message>
    </context>
    <context>
        <name>LiveCaptureDialog</name>
        <message>
            <source>Capture Live</source>
            <translation>实时抓包</translation>
        </message>
        <message>
            <source>Interface</source>
            <translation>接口</translation>
        </message>
        <message>
            <source>Addresses</source>
            <translation>地址</translation>
        </message>
        <message>
            <source>BPF capture filter, e.g. tcp port 8765 (empty: everything)</source>
            <translation>BPF 抓包过滤器，例如 tcp port 8765（留空：抓取全部）</translation>
        </message>
        <message>
            <source>Not capturing</source>
            <translation>未在抓包</translation>
        </message>
        <message>
            <source>&amp;Start</source>
            <translation>开始(&amp;S)</translation>
        </message>
        <message>
            <source>S&amp;top</source>
            <translation>停止(&amp;T)</translation>
        </message>
        <message>
            <source>Save as &amp;pcapng…</source>
            <translation>另存为 pcapng(&amp;P)…</translation>
        </message>
        <message>
            <source>Capture filter:</source>
            <translation>抓包过滤器：</translation>
        </message>
        <message>
            <source>(no address)</source>
            <translation>（无地址）</translation>
        </message>
        <message>
            <source>Choose an interface first</source>
            <translation>请先选择一个接口</translation>
        </message>
        <message>
            <source>Capturing on {0}: {1} packets, {2} WebSocket frames</source>
            <translation>正在 {0} 上抓包：{1} 个数据包，{2} 个 WebSocket 帧</translation>
        </message>
        <message>
            <source>, {0} dropped by the kernel</source>
            <translation>，内核丢弃了 {0} 个</translation>
        </message>
        <message>
            <source>Stopped: {0} packets captured</source>
            <translation>已停止：共抓取 {0} 个数据包</translation>
        </message>
        <message>
            <source>Save Live Capture</source>
            <translation>保存实时抓包</translation>
        </message>
        <message>
            <source>pcapng (*.pcapng)</source>
            <translation>pcapng (*.pcapng)</translation>
        </message>
        <message>
            <source>Cannot save {0}: {1}</source>
            <translation>无法保存 {0}：{1}</translation>
        </message>
        <message>
            <source>Saved {0} packets to {1}</source>
            <translation>已将 {0} 个数据包保存到 {1}</translation>
        </message>
    </context>
    <context>
        <name>LiveSession</name>
        <message>
            <source>resending {0} item(s)</source>
            <translation>正在重发 {0} 项</translation>
        </message>
        <message>
            <source>{0}: {1}{2}</source>
            <translation>{0}：{1}{2}</translation>
        </message>
        <message>
            <source>problem: {0}</source>
            <translation>问题：{0}</translation>
        </message>
        <message>
            <source>, answered</source>
            <translation>，已应答</translation>
        </message>
        <message>
            <source>, no answer</source>
            <translation>，无应答</translation>
        </message>
        <message>
            <source>resent {0}: {1} B{2}</source>
            <translation>已重发 {0}：{1} 字节{2}</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>Bytes</source>
            <translation>字节</translation>
        </message>
        <message>
            <source>Capture</source>
            <translation>抓包</translation>
        </message>
        <message>
            <source>Masking</source>
            <translation>掩码</translation>
        </message>
        <message>
            <source>Diagram</source>
            <translation>图示</translation>
        </message>
        <message>
            <source>Payload</source>
            <translation>载荷</translation>
        </message>
        <message>
            <source>Violations</source>
            <translation>违规</translation>
        </message>
        <message>
            <source>Crafter</source>
            <translation>构造器</translation>
        </message>
        <message>
            <source>Timeline</source>
            <translation>时间线</translation>
        </message>
        <message>
            <source>Messages</source>
            <translation>消息</translation>
        </message>
        <message>
            <source>&amp;Playback</source>
            <translation>回放(&amp;P)</translation>
        </message>
        <message>
            <source>&amp;Play / Pause</source>
            <translation>播放/暂停(&amp;P)</translation>
        </message>
        <message>
            <source>&amp;Messages View</source>
            <translation>消息视图(&amp;M)</translation>
        </message>
        <message>
            <source>Handshake</source>
            <translation>握手</translation>
        </message>
        <message>
            <source>Old and new handshakes</source>
            <translation>新旧握手</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>文件(&amp;F)</translation>
        </message>
        <message>
            <source>&amp;Open Capture…</source>
            <translation>打开抓包文件(&amp;O)…</translation>
        </message>
        <message>
            <source>Open &amp;Recent</source>
            <translation>最近打开(&amp;R)</translation>
        </message>
        <message>
            <source>Capture &amp;Live…</source>
            <translation>实时抓包(&amp;L)…</translation>
        </message>
        <message>
            <source>&amp;Export</source>
            <translation>导出(&amp;E)</translation>
        </message>
        <message>
            <source>Session as pcapng…</source>
            <translation>会话导出为 pcapng…</translation>
        </message>
        <message>
            <source>Filtered frames as pcapng…</source>
            <translation>过滤后的帧导出为 pcapng…</translation>
        </message>
        <message>
            <source>Session as JSON Lines…</source>
            <translation>会话导出为 JSON Lines…</translation>
        </message>
        <message>
            <source>Filtered frames as JSON Lines…</source>
            <translation>过滤后的帧导出为 JSON Lines…</translation>
        </message>
        <message>
            <source>Selected frame's payload…</source>
            <translation>所选帧的载荷…</translation>
        </message>
        <message>
            <source>Selected frame's message…</source>
            <translation>所选帧所属的消息…</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>退出(&amp;Q)</translation>
        </message>
        <message>
            <source>&amp;Edit</source>
            <translation>编辑(&amp;E)</translation>
        </message>
        <message>
            <source>Copy Frame as &amp;Hex</source>
            <translation>复制帧为十六进制(&amp;H)</translation>
        </message>
        <message>
            <source>Copy Frame as Python &amp;bytes</source>
            <translation>复制帧为 Python bytes(&amp;B)</translation>
        </message>
        <message>
            <source>Copy Frame as inspector &amp;decode Arguments</source>
            <translation>复制帧为 inspector decode 参数(&amp;D)</translation>
        </message>
        <message>
            <source>Copy &amp;Field Value</source>
            <translation>复制字段值(&amp;F)</translation>
        </message>
        <message>
            <source>&amp;Find in Payloads…</source>
            <translation>在载荷中查找(&amp;F)…</translation>
        </message>
        <message>
            <source>Find &amp;Next</source>
            <translation>查找下一个(&amp;N)</translation>
        </message>
        <message>
            <source>Find &amp;Previous</source>
            <translation>查找上一个(&amp;P)</translation>
        </message>
        <message>
            <source>Display F&amp;ilter</source>
            <translation>显示过滤器(&amp;I)</translation>
        </message>
        <message>
            <source>&amp;Tools</source>
            <translation>工具(&amp;T)</translation>
        </message>
        <message>
            <source>&amp;Crafter</source>
            <translation>构造器(&amp;C)</translation>
        </message>
        <message>
            <source>&amp;Templates</source>
            <translation>模板(&amp;T)</translation>
        </message>
        <message>
            <source>C&amp;onnect…</source>
            <translation>连接(&amp;O)…</translation>
        </message>
        <message>
            <source>&amp;Open Frame in Crafter</source>
            <translation>在构造器中打开帧(&amp;O)</translation>
        </message>
        <message>
            <source>&amp;Resend to a Live Connection…</source>
            <translation>重发到实时连接(&amp;R)…</translation>
        </message>
        <message>
            <source>&amp;Go</source>
            <translation>跳转(&amp;G)</translation>
        </message>
        <message>
            <source>&amp;Next Frame</source>
            <translation>下一帧(&amp;N)</translation>
        </message>
        <message>
            <source>&amp;Previous Frame</source>
            <translation>上一帧(&amp;P)</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
        <message>
            <source>Handshake &amp;Calculator…</source>
            <translation>握手计算器(&amp;C)…</translation>
        </message>
        <message>
            <source>&amp;About</source>
            <translation>关于(&amp;A)</translation>
        </message>
        <message>
            <source>No capture open</source>
            <translation>未打开抓包文件</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Loading cancelled</source>
            <translation>已取消加载</translation>
        </message>
        <message>
            <source>Filter cleared</source>
            <translation>已清除过滤器</translation>
        </message>
        <message>
            <source>{0}: {1} of {2} frames</source>
            <translation>{0}：{2} 个帧中的 {1} 个</translation>
        </message>
        <message>
            <source>Captures (*.pcap *.pcapng *.cap);;All files (*)</source>
            <translation>抓包文件 (*.pcap *.pcapng *.cap);;所有文件 (*)</translation>
        </message>
        <message>
            <source>Open Capture</source>
            <translation>打开抓包文件</translation>
        </message>
        <message>
            <source>Loading {0}…</source>
            <translation>正在加载 {0}…</translation>
        </message>
        <message>
            <source>{0} — {1}</source>
            <translation>{0} — {1}</translation>
        </message>
        <message>
            <source>{0}: {1} packets, {2} WebSocket connection(s), {3} frames</source>
            <translation>{0}：{1} 个数据包，{2} 个 WebSocket 连接，{3} 个帧</translation>
        </message>
        <message>
            <source> · warning: {0}</source>
            <translation> · 警告：{0}</translation>
        </message>
        <message>
            <source>The capture could not be opened.</source>
            <translation>无法打开该抓包文件。</translation>
        </message>
        <message>
            <source>Capturing on {0}…</source>
            <translation>正在 {0} 上抓包…</translation>
        </message>
        <message>
            <source>Capturing on {0}: {1} packets, {2} frames, {3} dropped by the kernel</source>
            <translation>正在 {0} 上抓包：{1} 个数据包，{2} 个帧，内核丢弃 {3} 个</translation>
        </message>
        <message>
            <source>Select a frame first</source>
            <translation>请先选择一个帧</translation>
        </message>
        <message>
            <source>Client connection {0}: {1} frames</source>
            <translation>客户端连接 {0}：{1} 个帧</translation>
        </message>
        <message>
            <source>Open a capture and select a connection first</source>
            <translation>请先打开抓包文件并选择一个连接</translation>
        </message>
        <message>
            <source>Nothing to resend, or no open connection</source>
            <translation>没有可重发的内容，或没有已打开的连接</translation>
        </message>
        <message>
            <source>This frame belongs to no complete message</source>
            <translation>这个帧不属于任何完整的消息</translation>
        </message>
        <message>
            <source>pcapng (*.pcapng)</source>
            <translation>pcapng (*.pcapng)</translation>
        </message>
        <message>
            <source>JSON Lines (*.jsonl)</source>
            <translation>JSON Lines (*.jsonl)</translation>
        </message>
        <message>
            <source>Export</source>
            <translation>导出</translation>
        </message>
        <message>
            <source>All files (*)</source>
            <translation>所有文件 (*)</translation>
        </message>
        <message>
            <source>Exported to {0}</source>
            <translation>已导出到 {0}</translation>
        </message>
        <message>
            <source>&amp;Tour</source>
            <translation>导览(&amp;T)</translation>
        </message>
        <message>
            <source>About {0}</source>
            <translation>关于 {0}</translation>
        </message>
        <message>
            <source>See RFC 6455 WebSocket traffic down to the bit.</source>
            <translation>逐位查看 RFC 6455 WebSocket 流量。</translation>
        </message>
    </context>
    <context>
        <name>MaskingModel</name>
        <message>
            <source>key[{0}] = {1} ⊕ {2}</source>
            <translation>key[{0}] = {1} ⊕ {2}</translation>
        </message>
        <message>
            <source>i</source>
            <translation>i</translation>
        </message>
        <message>
            <source>masked</source>
            <translation>带掩码</translation>
        </message>
        <message>
            <source>⊕ key[i mod 4]</source>
            <translation>⊕ key[i mod 4]</translation>
        </message>
        <message>
            <source>= unmasked</source>
            <translation>= 去掩码</translation>
        </message>
        <message>
            <source>char</source>
            <translation>字符</translation>
        </message>
    </context>
    <context>
        <name>MaskingTable</name>
        <message>
            <source>masked ⊕ key[i mod 4] = unmasked   (RFC 6455 §5.3)</source>
            <translation>带掩码 ⊕ key[i mod 4] = 去掩码   （RFC 6455 §5.3）</translation>
        </message>
        <message>
            <source>key:</source>
            <translation>掩码键：</translation>
        </message>
        <message>
            <source>Show {0} more</source>
            <translation>再显示 {0} 个</translation>
        </message>
        <message>
            <source>key[{0}] = {1}</source>
            <translation>key[{0}] = {1}</translation>
        </message>
        <message>
            <source>Select a frame to see how its payload was masked.</source>
            <translation>选择一个帧，查看它的载荷是如何加掩码的。</translation>
        </message>
        <message>
            <source>This frame is not masked: servers never mask (RFC 6455 §5.1).</source>
            <translation>这个帧没有掩码：服务器从不加掩码（RFC 6455 §5.1）。</translation>
        </message>
        <message>
            <source>This frame is not masked, though a client must mask every frame (RFC 6455 §5.1).</source>
            <translation>这个帧没有掩码，而客户端必须给每个帧加掩码（RFC 6455 §5.1）。</translation>
        </message>
        <message>
            <source>This frame is masked but carries no payload bytes to unmask.</source>
            <translation>这个帧带掩码，但没有可去掩码的载荷字节。</translation>
        </message>
        <message>
            <source>The capture ends inside this frame: {0} of {1} payload bytes are present.</source>
            <translation>抓包在这个帧中间结束：{1} 个载荷字节中只有 {0} 个。</translation>
        </message>
        <message>
            <source>Showing bytes 0 to {0} of {1}.</source>
            <translation>显示 {1} 个字节中的第 0 到 {0} 个。</translation>
        </message>
    </context>
    <context>
        <name>MessagesModel</name>
        <message>
            <source>Message / frame</source>
            <translation>消息 / 帧</translation>
        </message>
        <message>
            <source>Dir</source>
            <translation>方向</translation>
        </message>
        <message>
            <source>Kind</source>
            <translation>类型</translation>
        </message>
        <message>
            <source>Bytes</source>
            <translation>字节</translation>
        </message>
        <message>
            <source>UTF-8</source>
            <translation>UTF-8</translation>
        </message>
        <message>
            <source>Data</source>
            <translation>数据</translation>
        </message>
    </context>
    <context>
        <name>MessagesPane</name>
        <message>
            <source>Select a message to see its reassembled data</source>
            <translation>选择一条消息，查看重组后的数据</translation>
        </message>
        <message>
            <source>{0} bytes{1} · {2}</source>
            <translation>{0} 字节{1} · {2}</translation>
        </message>
        <message>
            <source>, reassembled and inflated</source>
            <translation>，已重组并解压</translation>
        </message>
        <message>
            <source>, reassembled</source>
            <translation>，已重组</translation>
        </message>
        <message>
            <source>… {0} more bytes</source>
            <translation>… 还有 {0} 字节</translation>
        </message>
    </context>
    <context>
        <name>PayloadView</name>
        <message>
            <source>Text</source>
            <translation>文本</translation>
        </message>
        <message>
            <source>JSON (pretty)</source>
            <translation>JSON（格式化）</translation>
        </message>
        <message>
            <source>Hex dump</source>
            <translation>十六进制转储</translation>
        </message>
        <message>
            <source>Base64</source>
            <translation>Base64</translation>
        </message>
        <message>
            <source>Show all</source>
            <translation>全部显示</translation>
        </message>
        <message>
            <source>{0} bytes, inflated</source>
            <translation>{0} 字节，已解压</translation>
        </message>
        <message>
            <source>{0} bytes</source>
            <translation>{0} 字节</translation>
        </message>
        <message>
            <source>no payload</source>
            <translation>无载荷</translation>
        </message>
        <message>
            <source>Only the start of the payload is shown; render all of it.</source>
            <translation>只显示了载荷的开头；点击显示全部。</translation>
        </message>
    </context>
    <context>
        <name>PlaybackBar</name>
        <message>
            <source>Play</source>
            <translation>播放</translation>
        </message>
        <message>
            <source>Replay the session at its own pace from the cursor (F5)</source>
            <translation>从光标处按原有节奏回放会话（F5）</translation>
        </message>
        <message>
            <source>Stop</source>
            <translation>停止</translation>
        </message>
        <message>
            <source>End the playback and show every frame again</source>
            <translation>结束回放并重新显示所有帧</translation>
        </message>
        <message>
            <source>{0}×</source>
            <translation>{0}×</translation>
        </message>
        <message>
            <source>Playback speed</source>
            <translation>回放速度</translation>
        </message>
        <message>
            <source>Skip gaps longer than</source>
            <translation>跳过长于此值的间隔</translation>
        </message>
        <message>
            <source> s</source>
            <translation> 秒</translation>
        </message>
        <message>
            <source>Pause</source>
            <translation>暂停</translation>
        </message>
        <message>
            <source>No frame at the cursor</source>
            <translation>光标处没有帧</translation>
        </message>
        <message>
            <source>{0:.6f} s · frame {1} of {2}</source>
            <translation>{0:.6f} 秒 · 第 {1} 帧，共 {2} 帧</translation>
        </message>
    </context>
    <context>
        <name>PreviewPane</name>
        <message>
            <source>Field</source>
            <translation>字段</translation>
        </message>
        <message>
            <source>Value</source>
            <translation>值</translation>
        </message>
        <message>
            <source>Bits</source>
            <translation>位</translation>
        </message>
        <message>
            <source>Diagram</source>
            <translation>图示</translation>
        </message>
        <message>
            <source>Tree</source>
            <translation>字段树</translation>
        </message>
        <message>
            <source>Masking</source>
            <translation>掩码</translation>
        </message>
        <message>
            <source>Frame shown:</source>
            <translation>显示的帧：</translation>
        </message>
        <message>
            <source>Cannot be written: {0}</source>
            <translation>无法写出：{0}</translation>
        </message>
        <message>
            <source>{0} bytes to send</source>
            <translation>待发送 {0} 字节</translation>
        </message>
        <message>
            <source> (the first {0} shown)</source>
            <translation>（显示前 {0} 个）</translation>
        </message>
        <message>
            <source>breaks no rule</source>
            <translation>未违反任何规则</translation>
        </message>
        <message>
            <source>breaks {0} rule(s)</source>
            <translation>违反 {0} 条规则</translation>
        </message>
        <message>
            <source>As a client's {0}: {1}. A compliant server answers: {2}.</source>
            <translation>作为客户端的{0}：{1}。合规的服务器应答：{2}。</translation>
        </message>
        <message>
            <source>frame</source>
            <translation>帧</translation>
        </message>
        <message>
            <source>{0} frames</source>
            <translation>{0} 个帧</translation>
        </message>
        <message>
            <source>no FIN</source>
            <translation>无 FIN</translation>
        </message>
        <message>
            <source>frame {0}: {1}, {2}, {3} bytes</source>
            <translation>帧 {0}：{1}，{2}，{3} 字节</translation>
        </message>
    </context>
    <context>
        <name>ResendDialog</name>
        <message>
            <source>Resend to a live connection</source>
            <translation>重发到实时连接</translation>
        </message>
        <message>
            <source>Frames</source>
            <translation>帧</translation>
        </message>
        <message>
            <source>Messages</source>
            <translation>消息</translation>
        </message>
        <message>
            <source>Original bytes (the captured masking keys)</source>
            <translation>原始字节（沿用抓到的掩码键）</translation>
        </message>
        <message>
            <source>Unticked: new frames with the same bits and a fresh masking key (RFC 6455 §5.3 wants an unpredictable key per frame)</source>
            <translation>不勾选时：生成各位相同、但使用新掩码键的新帧（RFC 6455 §5.3 要求每个帧使用不可预测的掩码键）</translation>
        </message>
        <message>
            <source>At the original pacing</source>
            <translation>按原有节奏</translation>
        </message>
        <message>
            <source>Each after the server's answer to the previous</source>
            <translation>每项都等服务器应答上一项后再发</translation>
        </message>
        <message>
            <source>Resend</source>
            <translation>重发</translation>
        </message>
        <message>
            <source>To:</source>
            <translation>发往：</translation>
        </message>
        <message>
            <source>Send as:</source>
            <translation>发送方式：</translation>
        </message>
        <message>
            <source>Pacing:</source>
            <translation>节奏：</translation>
        </message>
        <message>
            <source>No open connection: connect first (Tools → Connect…).</source>
            <translation>没有已打开的连接：请先连接（工具 → 连接…）。</translation>
        </message>
        <message>
            <source>{0} item(s) to resend</source>
            <translation>待重发 {0} 项</translation>
        </message>
    </context>
    <context>
        <name>Rfc6455Tab</name>
        <message>
            <source>the client's Sec-WebSocket-Key, e.g. dGhlIHNhbXBsZSBub25jZQ==</source>
            <translation>客户端的 Sec-WebSocket-Key，例如 dGhlIHNhbXBsZSBub25jZQ==</translation>
        </message>
        <message>
            <source>optional: the Sec-WebSocket-Accept to check</source>
            <translation>可选：要核对的 Sec-WebSocket-Accept</translation>
        </message>
        <message>
            <source>Sec-WebSocket-&amp;Key:</source>
            <translation>Sec-WebSocket-&amp;Key：</translation>
        </message>
        <message>
            <source>&amp;Expected accept:</source>
            <translation>期望的 accept(&amp;E)：</translation>
        </message>
        <message>
            <source>Type a Sec-WebSocket-Key to see its accept value worked out.</source>
            <translation>输入一个 Sec-WebSocket-Key，即可看到它的 accept 值的逐步计算。</translation>
        </message>
    </context>
    <context>
        <name>SearchBar</name>
        <message>
            <source>Find in payloads</source>
            <translation>在载荷中查找</translation>
        </message>
        <message>
            <source>Text</source>
            <translation>文本</translation>
        </message>
        <message>
            <source>Hex</source>
            <translation>十六进制</translation>
        </message>
        <message>
            <source>Regex</source>
            <translation>正则</translation>
        </message>
        <message>
            <source>Previous</source>
            <translation>上一个</translation>
        </message>
        <message>
            <source>Next</source>
            <translation>下一个</translation>
        </message>
        <message>
            <source>Close the find bar</source>
            <translation>关闭查找栏</translation>
        </message>
        <message>
            <source>Find:</source>
            <translation>查找：</translation>
        </message>
        <message>
            <source>No match</source>
            <translation>无匹配</translation>
        </message>
        <message>
            <source>Frame {0}, bytes {1}–{2}</source>
            <translation>帧 {0}，字节 {1}–{2}</translation>
        </message>
    </context>
    <context>
        <name>SequencePanel</name>
        <message>
            <source>Send the editor's message as a sequence of frames</source>
            <translation>把编辑器中的消息作为一串帧发送</translation>
        </message>
        <message>
            <source>in</source>
            <translation>分成</translation>
        </message>
        <message>
            <source> frames</source>
            <translation> 个帧</translation>
        </message>
        <message>
            <source>cut at byte offsets</source>
            <translation>按字节偏移切分</translation>
        </message>
        <message>
            <source>no control frame</source>
            <translation>不插入控制帧</translation>
        </message>
        <message>
            <source>after frame </source>
            <translation>位于帧 </translation>
        </message>
        <message>
            <source>#</source>
            <translation>#</translation>
        </message>
        <message>
            <source>opcode</source>
            <translation>操作码</translation>
        </message>
        <message>
            <source>FIN</source>
            <translation>FIN</translation>
        </message>
        <message>
            <source>payload</source>
            <translation>载荷</translation>
        </message>
        <message>
            <source>bytes</source>
            <translation>字节</translation>
        </message>
        <message>
            <source>Split</source>
            <translation>分片</translation>
        </message>
        <message>
            <source>Between</source>
            <translation>插入</translation>
        </message>
        <message>
            <source>The frames of {0}; change a split setting to fragment the editor's message instead.</source>
            <translation>{0}的帧；修改分片设置即可改为把编辑器中的消息分片。</translation>
        </message>
        <message>
            <source>{0} bytes</source>
            <translation>{0} 字节</translation>
        </message>
    </context>
    <context>
        <name>SessionTabs</name>
        <message>
            <source>Capture</source>
            <translation>抓包</translation>
        </message>
        <message>
            <source>Disconnect</source>
            <translation>断开</translation>
        </message>
        <message>
            <source>Reconnect</source>
            <translation>重新连接</translation>
        </message>
        <message>
            <source>{0} ({1})</source>
            <translation>{0}（{1}）</translation>
        </message>
        <message>
            <source>Client connection {0}</source>
            <translation>客户端连接 {0}</translation>
        </message>
    </context>
    <context>
        <name>SessionView</name>
        <message>
            <source>#</source>
            <translation>#</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>时间</translation>
        </message>
        <message>
            <source>From</source>
            <translation>来自</translation>
        </message>
        <message>
            <source>Frame</source>
            <translation>帧</translation>
        </message>
        <message>
            <source>Payload</source>
            <translation>载荷</translation>
        </message>
        <message>
            <source>Rules broken</source>
            <translation>违反的规则</translation>
        </message>
        <message>
            <source>Double-click a frame to edit it in the crafter and send it again</source>
            <translation>双击一个帧即可在构造器中编辑并重新发送</translation>
        </message>
        <message>
            <source>handshake: {0} {1}</source>
            <translation>握手：{0} {1}</translation>
        </message>
        <message>
            <source>client →</source>
            <translation>客户端 →</translation>
        </message>
        <message>
            <source>← server</source>
            <translation>← 服务器</translation>
        </message>
        <message>
            <source> (no FIN)</source>
            <translation>（无 FIN）</translation>
        </message>
    </context>
    <context>
        <name>Stepper</name>
        <message>
            <source>Next &amp;Message</source>
            <translation>下一条消息(&amp;M)</translation>
        </message>
        <message>
            <source>Previous M&amp;essage</source>
            <translation>上一条消息(&amp;E)</translation>
        </message>
        <message>
            <source>Next &amp;Connection</source>
            <translation>下一个连接(&amp;C)</translation>
        </message>
        <message>
            <source>Previous C&amp;onnection</source>
            <translation>上一个连接(&amp;O)</translation>
        </message>
        <message>
            <source>Next Frame in the &amp;Session</source>
            <translation>会话中的下一帧(&amp;S)</translation>
        </message>
        <message>
            <source>Previous Frame in the S&amp;ession</source>
            <translation>会话中的上一帧(&amp;E)</translation>
        </message>
    </context>
    <context>
        <name>TemplatesBrowser</name>
        <message>
            <source>Template</source>
            <translation>模板</translation>
        </message>
        <message>
            <source>Expected answer</source>
            <translation>期望的应答</translation>
        </message>
        <message>
            <source>{0} templates</source>
            <translation>{0} 个模板</translation>
        </message>
        <message>
            <source>Choose a template to read what it sends and what the RFC asks.</source>
            <translation>选择一个模板，了解它发送什么以及 RFC 的要求。</translation>
        </message>
        <message>
            <source>Load into editor</source>
            <translation>载入编辑器</translation>
        </message>
        <message>
            <source>Send</source>
            <translation>发送</translation>
        </message>
        <message>
            <source>Run the whole category</source>
            <translation>运行整个类别</translation>
        </message>
        <message>
            <source>Export JSON…</source>
            <translation>导出 JSON…</translation>
        </message>
        <message>
            <source>Save editor as template…</source>
            <translation>将编辑器内容存为模板…</translation>
        </message>
        <message>
            <source>Result</source>
            <translation>结果</translation>
        </message>
        <message>
            <source>Expected</source>
            <translation>期望</translation>
        </message>
        <message>
            <source>Observed</source>
            <translation>实际</translation>
        </message>
        <message>
            <source>Needs permessage-deflate agreed.</source>
            <translation>需要已协商 permessage-deflate。</translation>
        </message>
        <message>
            <source>Needs a connection without permessage-deflate.</source>
            <translation>需要未协商 permessage-deflate 的连接。</translation>
        </message>
        <message>
            <source>Rule: {0}</source>
            <translation>规则：{0}</translation>
        </message>
        <message>
            <source>A compliant server: {0}</source>
            <translation>合规的服务器：{0}</translation>
        </message>
        <message>
            <source>Source: {0}</source>
            <translation>出处：{0}</translation>
        </message>
        <message>
            <source>Running {0} templates of {1}, each on a fresh connection…</source>
            <translation>正在运行 {1} 的 {0} 个模板，每个使用一个新连接…</translation>
        </message>
        <message>
            <source>error</source>
            <translation>错误</translation>
        </message>
        <message>
            <source>not judged</source>
            <translation>未评判</translation>
        </message>
        <message>
            <source>PASS</source>
            <translation>通过</translation>
        </message>
        <message>
            <source>FAIL</source>
            <translation>失败</translation>
        </message>
        <message>
            <source>{0} of {1} passed</source>
            <translation>{1} 个中通过 {0} 个</translation>
        </message>
    </context>
    <context>
        <name>TimelineStrip</name>
        <message>
            <source>Every frame of the session: from the client above the line (blue), from the server below it (green); a red mark on top for a violation, a mark at the bottom for a Close. Click or drag to move; Left/Right by frame, with Shift by message, with Ctrl by connection; Home/End to the first/last frame.</source>
            <translation>会话中的每个帧：客户端的帧在线上方（蓝色），服务器的帧在线下方（绿色）；顶部的红色标记表示违规，底部的标记表示 Close。单击或拖动即可移动；左/右方向键按帧移动，加 Shift 按消息，加 Ctrl 按连接；Home/End 跳到第一个/最后一个帧。</translation>
        </message>
    </context>
    <context>
        <name>TourPanel</name>
        <message>
            <source>Tour</source>
            <translation>导览</translation>
        </message>
        <message>
            <source>Back</source>
            <translation>上一步</translation>
        </message>
        <message>
            <source>Next</source>
            <translation>下一步</translation>
        </message>
        <message>
            <source>Do it for me</source>
            <translation>替我完成</translation>
        </message>
        <message>
            <source>Step {0} of {1}</source>
            <translation>第 {0} 步，共 {1} 步</translation>
        </message>
        <message>
            <source>The capture of this step could not be opened: {0}</source>
            <translation>无法打开本步骤的抓包文件：{0}</translation>
        </message>
        <message>
            <source>This capture has no frame {0}.</source>
            <translation>这个抓包文件中没有帧 {0}。</translation>
        </message>
        <message>
            <source>Done. Press Next.</source>
            <translation>完成。请按“下一步”。</translation>
        </message>
        <message>
            <source>Done.</source>
            <translation>完成。</translation>
        </message>
        <message>
            <source>Waiting for you (or press Do it for me).</source>
            <translation>等你动手（或按“替我完成”）。</translation>
        </message>
        <message>
            <source>Started the lab server at {0}; connecting…</source>
            <translation>已在 {0} 启动实验服务器；正在连接…</translation>
        </message>
        <message>
            <source>Not connected: go back one step and start the lab server first.</source>
            <translation>未连接：请返回上一步，先启动实验服务器。</translation>
        </message>
        <message>
            <source>Sending…</source>
            <translation>正在发送…</translation>
        </message>
        <message>
            <source>Connected: {0}</source>
            <translation>已连接：{0}</translation>
        </message>
        <message>
            <source>Connection: {0}</source>
            <translation>连接：{0}</translation>
        </message>
        <message>
            <source>Rules broken: {0}</source>
            <translation>违反的规则：{0}</translation>
        </message>
    </context>
    <context>
        <name>ViolationsModel</name>
        <message>
            <source>(capture)</source>
            <translation>（抓包）</translation>
        </message>
        <message>
            <source>none</source>
            <translation>无</translation>
        </message>
        <message>
            <source>Why?</source>
            <translation>为什么？</translation>
        </message>
        <message>
            <source>Frame</source>
            <translation>帧</translation>
        </message>
        <message>
            <source>Code</source>
            <translation>代码</translation>
        </message>
        <message>
            <source>RFC section</source>
            <translation>RFC 章节</translation>
        </message>
        <message>
            <source>Close code</source>
            <translation>关闭码</translation>
        </message>
        <message>
            <source>Message</source>
            <translation>说明</translation>
        </message>
    </context>
    <context>
        <name>ViolationsPane</name>
        <message>
            <source>Select a violation to read what the rule asks for.</source>
            <translation>选择一条违规，阅读该规则的要求。</translation>
        </message>
        <message>
            <source>Why the RFC has this rule: {0}</source>
            <translation>RFC 为什么有这条规则：{0}</translation>
        </message>
    </context>
    <context>
        <name>teaching</name>
        <message>
            <source>A WebSocket frame: a header of 2 to 14 bytes followed by the payload. After the HTTP Upgrade, everything on the TCP connection is a sequence of these frames, in both directions.</source>
            <comment>field:websocket</comment>
            <translation>一个 WebSocket 帧：2 到 14 字节的帧头，后面跟着载荷。HTTP Upgrade 完成之后，TCP 连接上双向传输的全部内容都是这样一个接一个的帧。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.2</source>
            <comment>field:websocket:rfc</comment>
            <translation>RFC 6455 §5.2</translation>
        </message>
        <message>
            <source>FIN is the first bit of the frame. 1 means this frame is the last (or only) piece of its message; 0 means more pieces follow in continuation frames. A sender can split a message it does not know the full size of yet into fragments. Control frames are never fragmented, so they always have FIN = 1.</source>
            <comment>field:websocket.fin</comment>
            <translation>FIN 是帧的第一个比特。1 表示这是消息的最后一个（或唯一一个）分片；0 表示后面还有延续帧。发送方在还不知道消息总长度时，可以把它拆成多个分片发送。控制帧从不分片，所以它们的 FIN 总是 1。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.2, §5.4</source>
            <comment>field:websocket.fin:rfc</comment>
            <translation>RFC 6455 §5.2、§5.4</translation>
        </message>
        <message>
            <source>Three reserved bits. They must be 0 unless an extension agreed in the handshake gives them a meaning; a receiver that sees a set bit nobody negotiated must fail the connection. Wireshark shows the three bits together as websocket.rsv.</source>
            <comment>field:websocket.rsv</comment>
            <translation>三个保留位。除非握手中协商的扩展赋予它们含义，否则必须为 0；如果接收方看到某一位被置 1，而协商过的扩展都没有用到它，就必须使连接失败。Wireshark 把这三位合在一起显示为 websocket.rsv。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.2</source>
            <comment>field:websocket.rsv:rfc</comment>
            <translation>RFC 6455 §5.2</translation>
        </message>
        <message>
            <source>RSV1. With permessage-deflate negotiated (RFC 7692), RSV1 = 1 on the first frame of a message marks the whole message as compressed; it is never set on continuation or control frames. Without a negotiated extension it must be 0.</source>
            <comment>field:websocket.rsv1</comment>
            <translation>RSV1。协商了 permessage-deflate（RFC 7692）时，消息第一个帧上的 RSV1 = 1 表示整条消息经过压缩；延续帧和控制帧上从不置位。没有协商扩展时它必须为 0。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.2, RFC 7692 §6</source>
            <comment>field:websocket.rsv1:rfc</comment>
            <translation>RFC 6455 §5.2，RFC 7692 §6</translation>
        </message>
        <message>
            <source>RSV2. No registered extension uses it today, so it must be 0 on every frame.</source>
            <comment>field:websocket.rsv2</comment>
            <translation>RSV2。目前没有已注册的扩展使用它，所以每个帧上都必须为 0。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.2</source>
            <comment>field:websocket.rsv2:rfc</comment>
            <translation>RFC 6455 §5.2</translation>
        </message>
        <message>
            <source>RSV3. No registered extension uses it today, so it must be 0 on every frame.</source>
            <comment>field:websocket.rsv3</comment>
            <translation>RSV3。目前没有已注册的扩展使用它，所以每个帧上都必须为 0。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.2</source>
            <comment>field:websocket.rsv3:rfc</comment>
            <translation>RFC 6455 §5.2</translation>
        </message>
        <message>
            <source>The 4-bit opcode says how to read the payload. 0x0 continues a fragmented message, 0x1 starts a text message (UTF-8), 0x2 a binary one. Opcodes with the high bit set are control frames: 0x8 Close, 0x9 Ping, 0xA Pong. 0x3-0x7 and 0xB-0xF are reserved for future use; receiving one is a protocol error.</source>
            <comment>field:websocket.opcode</comment>
            <translation>4 比特的操作码说明如何解读载荷。0x0 表示延续一条分片消息，0x1 开始一条文本消息（UTF-8），0x2 开始一条二进制消息。最高位为 1 的操作码是控制帧：0x8 Close，0x9 Ping，0xA Pong。0x3-0x7 和 0xB-0xF 保留给将来使用；收到它们属于协议错误。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.2</source>
            <comment>field:websocket.opcode:rfc</comment>
            <translation>RFC 6455 §5.2</translation>
        </message>
        <message>
            <source>MASK = 1 means a 4-byte masking key follows the length and the payload is XORed with it. Every frame from a client must be masked and no frame from a server may be. The reason is security, not privacy: with a fresh unpredictable key per frame, a script in a browser cannot choose the bytes that appear on the wire, so it cannot forge something a transparent proxy or cache would mistake for an HTTP request and poison its cache with.</source>
            <comment>field:websocket.mask</comment>
            <translation>MASK = 1 表示长度之后跟着 4 字节的掩码键，载荷与它做了异或。客户端发送的每个帧都必须加掩码，服务器发送的帧一律不得加掩码。原因是安全而不是保密：每个帧使用一个新的、不可预测的掩码键，浏览器里的脚本就无法决定线路上出现的字节，也就无法伪造出会被透明代理或缓存误认为 HTTP 请求的内容，从而污染其缓存。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.1, §5.3, §10.3</source>
            <comment>field:websocket.mask:rfc</comment>
            <translation>RFC 6455 §5.1、§5.3、§10.3</translation>
        </message>
        <message>
            <source>The 7-bit payload length. Values 0-125 are the length itself. 126 means the real length follows in the next 2 bytes (up to 65535); 127 means it follows in the next 8 bytes. Small frames thus pay for only one length byte. The sender must use the shortest form that fits.</source>
            <comment>field:websocket.payload_length</comment>
            <translation>7 比特的载荷长度。0-125 就是长度本身。126 表示真正的长度在接下来的 2 个字节里（最大 65535）；127 表示在接下来的 8 个字节里。这样小帧只需一个长度字节。发送方必须使用能容纳长度的最短形式。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.2</source>
            <comment>field:websocket.payload_length:rfc</comment>
            <translation>RFC 6455 §5.2</translation>
        </message>
        <message>
            <source>The extended payload length, a 16-bit unsigned number in network byte order (big-endian), present because the 7-bit field held 126. It must be at least 126: smaller lengths belong in the 7-bit field.</source>
            <comment>field:websocket.payload_length_ext_16</comment>
            <translation>扩展载荷长度，一个网络字节序（大端）的 16 位无符号数；因为 7 比特字段的值是 126，所以才出现。它必须至少为 126：更小的长度应写在 7 比特字段里。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.2</source>
            <comment>field:websocket.payload_length_ext_16:rfc</comment>
            <translation>RFC 6455 §5.2</translation>
        </message>
        <message>
            <source>The extended payload length, a 64-bit unsigned number in network byte order, present because the 7-bit field held 127. Its most significant bit must be 0, and it must be over 65535: smaller lengths belong in a shorter form.</source>
            <comment>field:websocket.payload_length_ext_64</comment>
            <translation>扩展载荷长度，一个网络字节序的 64 位无符号数；因为 7 比特字段的值是 127，所以才出现。它的最高位必须为 0，且数值必须大于 65535：更小的长度应使用更短的形式。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.2</source>
            <comment>field:websocket.payload_length_ext_64:rfc</comment>
            <translation>RFC 6455 §5.2</translation>
        </message>
        <message>
            <source>The 32-bit masking key, present when MASK = 1. Payload byte i is XORed with key byte i mod 4, so the receiver unmasks by applying the same XOR again. The client must pick each key freshly and unpredictably; a fixed key would defeat the purpose of masking.</source>
            <comment>field:websocket.masking_key</comment>
            <translation>32 位的掩码键，MASK = 1 时出现。载荷的第 i 个字节与掩码键的第 i mod 4 个字节做异或，接收方再做一次同样的异或即可去掉掩码。客户端必须为每个帧重新选取不可预测的掩码键；固定的掩码键会让掩码失去意义。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.3</source>
            <comment>field:websocket.masking_key:rfc</comment>
            <translation>RFC 6455 §5.3</translation>
        </message>
        <message>
            <source>The payload data: extension data (none unless an extension defines it) followed by application data. Its length is exactly the declared payload length; what the bytes mean depends on the opcode.</source>
            <comment>field:websocket.payload</comment>
            <translation>载荷数据：扩展数据（除非某个扩展定义了它，否则没有）后面跟着应用数据。它的长度恰好等于声明的载荷长度；这些字节的含义取决于操作码。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.2</source>
            <comment>field:websocket.payload:rfc</comment>
            <translation>RFC 6455 §5.2</translation>
        </message>
        <message>
            <source>The payload exactly as it travelled on the wire, still XORed with the masking key.</source>
            <comment>field:websocket.masked_payload</comment>
            <translation>载荷在线路上传输时的原样，仍然与掩码键异或着。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.3</source>
            <comment>field:websocket.masked_payload:rfc</comment>
            <translation>RFC 6455 §5.3</translation>
        </message>
        <message>
            <source>The payload after XOR with the masking key: octet i of the wire data XOR octet (i mod 4) of the key. This is what the application sent.</source>
            <comment>field:websocket.unmasked_payload</comment>
            <translation>与掩码键异或之后的载荷：线路数据的第 i 个字节异或掩码键的第 (i mod 4) 个字节。这就是应用发送的内容。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.3</source>
            <comment>field:websocket.unmasked_payload:rfc</comment>
            <translation>RFC 6455 §5.3</translation>
        </message>
        <message>
            <source>Text data. A text message must be valid UTF-8 as a whole; a single fragment may end in the middle of a character, but the reassembled message may not. Invalid UTF-8 makes the receiver close with 1007.</source>
            <comment>field:websocket.payload.text</comment>
            <translation>文本数据。一条文本消息作为整体必须是合法的 UTF-8；单个分片可以在一个字符的中间结束，但重组后的消息不行。非法的 UTF-8 会让接收方以 1007 关闭连接。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.6</source>
            <comment>field:websocket.payload.text:rfc</comment>
            <translation>RFC 6455 §5.6</translation>
        </message>
        <message>
            <source>Binary data: the protocol gives these bytes no meaning; the application decides how to read them.</source>
            <comment>field:websocket.payload.binary</comment>
            <translation>二进制数据：协议不赋予这些字节任何含义，由应用决定如何解读。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.6</source>
            <comment>field:websocket.payload.binary:rfc</comment>
            <translation>RFC 6455 §5.6</translation>
        </message>
        <message>
            <source>The first two bytes of a Close body are a status code (big-endian) saying why the endpoint closes. 1000-2999 are kept for the protocol, 3000-3999 are registered by libraries and frameworks, 4000-4999 are private. 1005, 1006 and 1015 are only reported by APIs and must never be sent, and 1004 is reserved.</source>
            <comment>field:websocket.payload.close.status_code</comment>
            <translation>Close 帧载荷的前两个字节是关闭码（大端），说明端点为什么关闭连接。1000-2999 留给协议本身，3000-3999 由库和框架注册，4000-4999 供私有使用。1005、1006 和 1015 只由 API 报告，绝不能发送；1004 是保留的。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.5.1, §7.4</source>
            <comment>field:websocket.payload.close.status_code:rfc</comment>
            <translation>RFC 6455 §5.5.1、§7.4</translation>
        </message>
        <message>
            <source>After the status code, an optional reason in UTF-8, meant for debugging rather than for users. The whole Close payload is a control payload, so code plus reason fit in 125 bytes.</source>
            <comment>field:websocket.payload.close.reason</comment>
            <translation>关闭码之后是可选的 UTF-8 原因文字，用于调试而不是给用户看。整个 Close 载荷属于控制帧载荷，所以关闭码加原因一共不超过 125 字节。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.5.1</source>
            <comment>field:websocket.payload.close.reason:rfc</comment>
            <translation>RFC 6455 §5.5.1</translation>
        </message>
        <message>
            <source>Ping application data (0-125 bytes). A Ping checks that the peer is alive or keeps an idle connection open through middleboxes; the receiver answers with a Pong as soon as it can.</source>
            <comment>field:websocket.payload.ping</comment>
            <translation>Ping 的应用数据（0-125 字节）。Ping 用来确认对端仍然在线，或让空闲连接穿过中间设备时保持打开；接收方应尽快回复一个 Pong。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.5.2</source>
            <comment>field:websocket.payload.ping:rfc</comment>
            <translation>RFC 6455 §5.5.2</translation>
        </message>
        <message>
            <source>Pong application data. A Pong answering a Ping carries exactly the Ping's data. A Pong may also be sent on its own as a one-way heartbeat; no reply is expected to it.</source>
            <comment>field:websocket.payload.pong</comment>
            <translation>Pong 的应用数据。回应 Ping 的 Pong 必须原样携带该 Ping 的数据。Pong 也可以单独发送，作为单向心跳；对它不需要回复。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.5.3</source>
            <comment>field:websocket.payload.pong:rfc</comment>
            <translation>RFC 6455 §5.5.3</translation>
        </message>
        <message>
            <source>The message after decompression. The sender compressed the whole message with DEFLATE and removed the final 00 00 ff ff; the receiver appends those four bytes to the reassembled payload and inflates it. The inflated bytes are what the application sent.</source>
            <comment>field:websocket.payload.inflated</comment>
            <translation>解压之后的消息。发送方用 DEFLATE 压缩了整条消息，并去掉了末尾的 00 00 ff ff；接收方把这四个字节加回到重组后的载荷末尾再解压。解压得到的字节就是应用发送的内容。</translation>
        </message>
        <message>
            <source>RFC 7692 §7.2.2</source>
            <comment>field:websocket.payload.inflated:rfc</comment>
            <translation>RFC 7692 §7.2.2</translation>
        </message>
        <message>
            <source>A continuation fragment: its bytes are appended to the payload of the message started by an earlier text or binary frame with FIN = 0.</source>
            <comment>field:websocket.payload.continuation</comment>
            <translation>一个延续分片：它的字节接在之前某个 FIN = 0 的文本帧或二进制帧开始的消息载荷后面。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.4</source>
            <comment>field:websocket.payload.continuation:rfc</comment>
            <translation>RFC 6455 §5.4</translation>
        </message>
        <message>
            <source>last fragment</source>
            <comment>meaning:fin.1</comment>
            <translation>最后一个分片</translation>
        </message>
        <message>
            <source>more fragments follow</source>
            <comment>meaning:fin.0</comment>
            <translation>后面还有分片</translation>
        </message>
        <message>
            <source>key follows</source>
            <comment>meaning:mask.1</comment>
            <translation>后跟掩码键</translation>
        </message>
        <message>
            <source>no key</source>
            <comment>meaning:mask.0</comment>
            <translation>无掩码键</translation>
        </message>
        <message>
            <source>message compressed (permessage-deflate)</source>
            <comment>meaning:rsv1.deflate.1</comment>
            <translation>消息已压缩（permessage-deflate）</translation>
        </message>
        <message>
            <source>not compressed</source>
            <comment>meaning:rsv1.deflate.0</comment>
            <translation>未压缩</translation>
        </message>
        <message>
            <source>0 as required: RFC 7692 §6.1 sets RSV1 on a message's first frame only, and this frame belongs to a compressed message</source>
            <comment>meaning:rsv1.continuation.0</comment>
            <translation>按要求为 0：RFC 7692 §6.1 只在消息的第一个帧上设置 RSV1，而本帧属于一条压缩消息</translation>
        </message>
        <message>
            <source>set on a continuation frame, which RFC 7692 §6.1 forbids (this frame belongs to a compressed message)</source>
            <comment>meaning:rsv1.continuation.1</comment>
            <translation>在延续帧上被置位，这是 RFC 7692 §6.1 所禁止的（本帧属于一条压缩消息）</translation>
        </message>
        <message>
            <source>126: the length is in the next 2 bytes</source>
            <comment>meaning:length7.126</comment>
            <translation>126：长度在接下来的 2 个字节里</translation>
        </message>
        <message>
            <source>127: the length is in the next 8 bytes</source>
            <comment>meaning:length7.127</comment>
            <translation>127：长度在接下来的 8 个字节里</translation>
        </message>
        <message>
            <source>{count} bytes</source>
            <comment>meaning:bytes</comment>
            <translation>{count} 字节</translation>
        </message>
        <message>
            <source>UTF-8 text</source>
            <comment>meaning:utf8-text</comment>
            <translation>UTF-8 文本</translation>
        </message>
        <message>
            <source>the whole message, from frame {frame}, after inflation</source>
            <comment>meaning:inflated.one-frame</comment>
            <translation>整条消息，来自帧 {frame}，已解压</translation>
        </message>
        <message>
            <source>the whole message, from frames {frames}, after inflation</source>
            <comment>meaning:inflated.frames</comment>
            <translation>整条消息，来自帧 {frames}，已解压</translation>
        </message>
        <message>
            <source>{name} {key}: digits {digits} -&gt; {number}, {spaces} spaces</source>
            <comment>step:hixie.key-digits</comment>
            <translation>{name} {key}：数字 {digits} -&gt; {number}，{spaces} 个空格</translation>
        </message>
        <message>
            <source>(none)</source>
            <comment>step:hixie.no-digits</comment>
            <translation>（无）</translation>
        </message>
        <message>
            <source>{name}: {problem}</source>
            <comment>step:hixie.key-problem</comment>
            <translation>{name}：{problem}</translation>
        </message>
        <message>
            <source>{name}: {number} / {spaces} = {part} = {packed}</source>
            <comment>step:hixie.key-part</comment>
            <translation>{name}：{number} / {spaces} = {part} = {packed}</translation>
        </message>
        <message>
            <source>key3 (8 bytes after the request headers): {key3}</source>
            <comment>step:hixie.key3</comment>
            <translation>key3（请求首部之后的 8 个字节）：{key3}</translation>
        </message>
        <message>
            <source>MD5({md5_input}) = {expected}</source>
            <comment>step:hixie.md5</comment>
            <translation>MD5({md5_input}) = {expected}</translation>
        </message>
        <message>
            <source>server sent {received}: matches</source>
            <comment>step:hixie.verdict.match</comment>
            <translation>服务器发送了 {received}：一致</translation>
        </message>
        <message>
            <source>server sent {received}: does NOT match</source>
            <comment>step:hixie.verdict.mismatch</comment>
            <translation>服务器发送了 {received}：不一致</translation>
        </message>
        <message>
            <source>RFC 6455 §4.2.2 step 5.4: Sec-WebSocket-Accept = base64(SHA-1(key + GUID))</source>
            <comment>step:rfc6455.title</comment>
            <translation>RFC 6455 §4.2.2 第 5.4 步：Sec-WebSocket-Accept = base64(SHA-1(key + GUID))</translation>
        </message>
        <message>
            <source>valid: the base64 of a {size}-byte nonce (RFC 6455 §4.1)</source>
            <comment>step:rfc6455.key-valid</comment>
            <translation>合法：一个 {size} 字节随机数的 base64（RFC 6455 §4.1）</translation>
        </message>
        <message>
            <source>NOT valid: §4.1 wants the base64 of exactly {size} bytes (computed anyway)</source>
            <comment>step:rfc6455.key-invalid</comment>
            <translation>不合法：§4.1 要求恰好 {size} 个字节的 base64（仍照常计算）</translation>
        </message>
        <message>
            <source>{sha1}  (20 bytes, hex)</source>
            <comment>step:rfc6455.sha1</comment>
            <translation>{sha1}  （20 字节，十六进制）</translation>
        </message>
        <message>
            <source>1. key</source>
            <comment>step:label.key</comment>
            <translation>1. key</translation>
        </message>
        <message>
            <source>2. + GUID</source>
            <comment>step:label.guid</comment>
            <translation>2. + GUID</translation>
        </message>
        <message>
            <source>3. SHA-1</source>
            <comment>step:label.sha1</comment>
            <translation>3. SHA-1</translation>
        </message>
        <message>
            <source>4. base64</source>
            <comment>step:label.base64</comment>
            <translation>4. base64</translation>
        </message>
        <message>
            <source>expected</source>
            <comment>step:label.expected</comment>
            <translation>期望值</translation>
        </message>
        <message>
            <source>digits</source>
            <comment>step:label.digits</comment>
            <translation>数字</translation>
        </message>
        <message>
            <source>spaces</source>
            <comment>step:label.spaces</comment>
            <translation>空格数</translation>
        </message>
        <message>
            <source>divide</source>
            <comment>step:label.divide</comment>
            <translation>相除</translation>
        </message>
        <message>
            <source>MD5 input</source>
            <comment>step:label.md5-input</comment>
            <translation>MD5 输入</translation>
        </message>
        <message>
            <source>answer</source>
            <comment>step:label.answer</comment>
            <translation>应答</translation>
        </message>
        <message>
            <source>matches</source>
            <comment>step:verdict.match</comment>
            <translation>一致</translation>
        </message>
        <message>
            <source>does NOT match</source>
            <comment>step:verdict.mismatch</comment>
            <translation>不一致</translation>
        </message>
        <message>
            <source>draft-hixie-76 §5.2: answer = MD5(Key1 number / spaces + Key2 number / spaces + key3)</source>
            <comment>step:hixie.title</comment>
            <translation>draft-hixie-76 §5.2：应答 = MD5(Key1 数字 / 空格数 + Key2 数字 / 空格数 + key3)</translation>
        </message>
        <message>
            <source>impossible: {problem}</source>
            <comment>step:hixie.impossible</comment>
            <translation>无法相除：{problem}</translation>
        </message>
        <message>
            <source>{number} / {spaces} = {part} -&gt; {packed} (4 bytes, big-endian)</source>
            <comment>step:hixie.divide</comment>
            <translation>{number} / {spaces} = {part} -&gt; {packed}（4 字节，大端）</translation>
        </message>
        <message>
            <source>not computed: a key cannot be divided</source>
            <comment>step:hixie.not-computed</comment>
            <translation>未计算：有一个 key 无法相除</translation>
        </message>
        <message>
            <source>{md5_input}  (16 bytes)</source>
            <comment>step:hixie.md5-input</comment>
            <translation>{md5_input}  （16 字节）</translation>
        </message>
        <message>
            <source>The opening handshake was not captured (the capture began mid-connection).</source>
            <comment>handshake:not-captured</comment>
            <translation>没有抓到开始握手（抓包开始时连接已经建立）。</translation>
        </message>
        <message>
            <source>Frames were found by resynchronising on the byte stream.</source>
            <comment>handshake:resynchronised</comment>
            <translation>帧是通过在字节流上重新同步找到的。</translation>
        </message>
        <message>
            <source>Client → server ({protocol})</source>
            <comment>handshake:client-to-server</comment>
            <translation>客户端 → 服务器（{protocol}）</translation>
        </message>
        <message>
            <source>Server → client</source>
            <comment>handshake:server-to-client</comment>
            <translation>服务器 → 客户端</translation>
        </message>
        <message>
            <source>The server refused the upgrade with status {status}: no frames follow.</source>
            <comment>handshake:refused</comment>
            <translation>服务器以状态码 {status} 拒绝了升级：之后没有帧。</translation>
        </message>
        <message>
            <source>Sec-WebSocket-Accept, computed (RFC 6455 §4.2.2):</source>
            <comment>handshake:accept-title</comment>
            <translation>Sec-WebSocket-Accept 的计算（RFC 6455 §4.2.2）：</translation>
        </message>
        <message>
            <source>1. the client's key:</source>
            <comment>handshake:accept-key</comment>
            <translation>1. 客户端的 key：</translation>
        </message>
        <message>
            <source>2. append the GUID {guid} (fixed by §1.3):</source>
            <comment>handshake:accept-guid</comment>
            <translation>2. 拼接 GUID {guid}（由 §1.3 规定）：</translation>
        </message>
        <message>
            <source>3. SHA-1 of that, in hex:</source>
            <comment>handshake:accept-sha1</comment>
            <translation>3. 对拼接结果计算 SHA-1，十六进制：</translation>
        </message>
        <message>
            <source>4. base64 of those 20 bytes:</source>
            <comment>handshake:accept-base64</comment>
            <translation>4. 这 20 个字节的 base64：</translation>
        </message>
        <message>
            <source>The server sent:</source>
            <comment>handshake:accept-sent</comment>
            <translation>服务器发送的是：</translation>
        </message>
        <message>
            <source>(nothing)</source>
            <comment>handshake:nothing</comment>
            <translation>（无）</translation>
        </message>
        <message>
            <source>✓ matches</source>
            <comment>handshake:verdict.match</comment>
            <translation>✓ 一致</translation>
        </message>
        <message>
            <source>✗ does not match</source>
            <comment>handshake:verdict.mismatch</comment>
            <translation>✗ 不一致</translation>
        </message>
        <message>
            <source>(no accept header)</source>
            <comment>handshake:verdict.none</comment>
            <translation>（没有 accept 首部）</translation>
        </message>
        <message>
            <source>Subprotocol chosen: {subprotocol}</source>
            <comment>handshake:subprotocol</comment>
            <translation>选定的子协议：{subprotocol}</translation>
        </message>
        <message>
            <source>Extensions agreed:</source>
            <comment>handshake:extensions</comment>
            <translation>协商的扩展：</translation>
        </message>
        <message>
            <source>Broken rules:</source>
            <comment>handshake:broken-rules</comment>
            <translation>违反的规则：</translation>
        </message>
        <message>
            <source>Masking is there for the proxies and caches between a browser and a server, not for secrecy. A page's script chooses what it sends; without a mask it could make the bytes on the wire spell an HTTP request that a transparent proxy which does not know WebSocket would act on, and the answer could be cached under another site's URL (cache poisoning). The browser, not the script, picks a fresh random key per frame, so the script can no longer predict the wire bytes. A server closes on an unmasked frame because it cannot tell a careless client from a hostile one.</source>
            <comment>why:unmasked-client-frame</comment>
            <translation>掩码是为了保护浏览器与服务器之间的代理和缓存，而不是为了保密。页面脚本可以决定自己发送的内容；如果不加掩码，它就能让线路上的字节恰好构成一个 HTTP 请求，不认识 WebSocket 的透明代理会照此执行，其应答还可能被缓存在另一个网站的 URL 之下（缓存投毒）。掩码键由浏览器而不是脚本为每个帧重新随机选取，脚本因此再也无法预知线路上的字节。服务器收到未加掩码的帧就会关闭连接，因为它无法分辨对方是粗心的客户端还是恶意的客户端。</translation>
        </message>
        <message>
            <source>RFC 6455 §10.3, §5.1</source>
            <comment>why:unmasked-client-frame:rfc</comment>
            <translation>RFC 6455 §10.3, §5.1</translation>
        </message>
        <message>
            <source>The attack masking prevents runs from untrusted script on the client side towards intermediaries; what a server sends is not under a web page's control, so masking it would cost work and protect no one. Forbidding it keeps both directions easy to tell apart and the check trivial: a masked frame from a server shows the peer does not follow the protocol.</source>
            <comment>why:masked-server-frame</comment>
            <translation>掩码所防范的攻击来自客户端一侧不受信任的脚本，矛头指向中间设备；服务器发送的内容不受网页控制，给它加掩码只会增加开销，却保护不了任何人。禁止服务器加掩码，还能让两个方向一目了然，检查也极其简单：服务器发来带掩码的帧，就说明对端没有遵守协议。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.1, §10.3</source>
            <comment>why:masked-server-frame:rfc</comment>
            <translation>RFC 6455 §5.1, §10.3</translation>
        </message>
        <message>
            <source>The three RSV bits are kept free for extensions. If receivers ignored bits they did not understand, no extension could ever give them a meaning: an old peer would silently misread the frame. Failing on an unnegotiated bit makes the meaning of a bit depend only on what both sides agreed in the handshake, as permessage-deflate does with RSV1.</source>
            <comment>why:reserved-bits</comment>
            <translation>三个 RSV 位是留给扩展使用的。如果接收方忽略自己不理解的位，任何扩展都永远无法赋予它们含义：旧的对端会在毫无察觉的情况下误读帧。遇到未经协商的位就使连接失败，这样一个位的含义就只取决于双方在握手中的约定，permessage-deflate 对 RSV1 的用法正是如此。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.2, §9</source>
            <comment>why:reserved-bits:rfc</comment>
            <translation>RFC 6455 §5.2, §9</translation>
        </message>
        <message>
            <source>A receiver that does not know an opcode cannot know whether the frame is data or control, nor how its payload joins a message. Guessing would put the two ends out of step, so the frame is refused. The free opcodes stay available for future extensions, which must be negotiated first.</source>
            <comment>why:reserved-opcode</comment>
            <translation>接收方不认识某个操作码时，既无法知道这个帧是数据帧还是控制帧，也不知道它的载荷如何并入消息。如果靠猜测处理，两端就会失去同步，所以这样的帧会被拒绝。空闲的操作码留给将来的扩展使用，而扩展必须先经过协商。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.2, §11.8</source>
            <comment>why:reserved-opcode:rfc</comment>
            <translation>RFC 6455 §5.2, §11.8</translation>
        </message>
        <message>
            <source>Control frames may be sent in the middle of a fragmented message, so a Ping or a Close never waits behind a long transfer. Keeping them to at most 125 bytes means their length always fits in the first length field, a receiver can read one whole with a small fixed buffer, and answering it (a Pong, a Close) is quick.</source>
            <comment>why:control-frame-too-long</comment>
            <translation>控制帧可以插在分片消息的中间发送，因此 Ping 或 Close 永远不必排在一次漫长的传输之后等待。把控制帧限制在 125 字节以内，意味着其长度总能放进第一个长度字段，接收方用一个固定的小缓冲区就能完整读入，应答（一个 Pong 或一个 Close）也能很快完成。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.5, §5.4</source>
            <comment>why:control-frame-too-long:rfc</comment>
            <translation>RFC 6455 §5.5, §5.4</translation>
        </message>
        <message>
            <source>Control frames are the ones allowed between the fragments of a data message. If they could be fragmented themselves, a receiver would need a second level of reassembly inside the first. With FIN = 1 on every control frame, each one is complete on arrival and can be acted on at once.</source>
            <comment>why:fragmented-control-frame</comment>
            <translation>只有控制帧允许出现在数据消息的各个分片之间。如果控制帧本身也能分片，接收方就需要在第一层重组之内再做第二层重组。每个控制帧的 FIN 都为 1，因此每个控制帧到达时都是完整的，可以立即处理。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.5, §5.4</source>
            <comment>why:fragmented-control-frame:rfc</comment>
            <translation>RFC 6455 §5.5, §5.4</translation>
        </message>
        <message>
            <source>One length, one encoding: the shortest form is the only valid one. Then every sender writes a given frame with the same bytes, and a checker or filter never disagrees with the endpoint about where a frame ends. Accepting padded lengths would only add ways for two parsers to differ.</source>
            <comment>why:non-minimal-length</comment>
            <translation>一个长度只有一种编码：最短的形式是唯一合法的形式。这样，任何发送方写出同一个帧都会得到相同的字节，检查工具或过滤器对帧在哪里结束的判断也永远不会与端点不一致。接受经过填充的长度，只会给两个解析器增加产生分歧的途径。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.2</source>
            <comment>why:non-minimal-length:rfc</comment>
            <translation>RFC 6455 §5.2</translation>
        </message>
        <message>
            <source>The top bit of the 64-bit length must be 0 so the length always fits a signed 64-bit integer, the widest integer type in many languages. Nobody sends 2^63 bytes in one frame, so the limit costs nothing and spares implementations a negative length.</source>
            <comment>why:length-msb-set</comment>
            <translation>64 位长度的最高位必须为 0，这样长度总能放进一个有符号 64 位整数，而这是许多语言中最宽的整数类型。没有人会在一个帧里发送 2^63 字节，所以这个限制毫无代价，还让实现免于处理负的长度。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.2</source>
            <comment>why:length-msb-set:rfc</comment>
            <translation>RFC 6455 §5.2</translation>
        </message>
        <message>
            <source>A continuation frame carries no type of its own: its bytes belong to the message a text or binary frame with FIN = 0 opened. With no such message open there is nothing to append to and no way to know whether the bytes are text or binary, so the stream is out of step and the receiver fails it.</source>
            <comment>why:unexpected-continuation</comment>
            <translation>延续帧本身不带类型：它的字节属于某条由 FIN = 0 的文本帧或二进制帧开始的消息。如果没有这样一条未完成的消息，就没有可以追加的对象，也无从知道这些字节是文本还是二进制，这说明数据流已经失去同步，接收方会使连接失败。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.4</source>
            <comment>why:unexpected-continuation:rfc</comment>
            <translation>RFC 6455 §5.4</translation>
        </message>
        <message>
            <source>A frame header has no message number, so fragments of different messages cannot be told apart. The base protocol therefore forbids interleaving data messages: once a message is fragmented, only its continuations (and control frames) may come until its FIN. Sharing one connection among several streams is left to extensions.</source>
            <comment>why:expected-continuation</comment>
            <translation>帧头中没有消息编号，因此无法区分不同消息的分片。所以基础协议禁止交错发送数据消息：一条消息一旦开始分片，在它的 FIN 到来之前，只能出现它的延续帧（以及控制帧）。在一个连接上承载多个流的功能留给扩展去实现。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.4</source>
            <comment>why:expected-continuation:rfc</comment>
            <translation>RFC 6455 §5.4</translation>
        </message>
        <message>
            <source>A text message promises UTF-8 so that an API can hand the application a string without guessing an encoding. Invalid or overlong sequences are also a classic way to slip characters past a filter that decodes differently from the application, so the receiver closes with 1007 instead of repairing the text.</source>
            <comment>why:invalid-utf8</comment>
            <translation>文本消息承诺使用 UTF-8，这样 API 就能直接把字符串交给应用，而不必猜测编码。非法序列或超长编码序列也是一种经典手段，能让字符绕过解码方式与应用不同的过滤器，因此接收方会以 1007 关闭连接，而不是去修复文本。</translation>
        </message>
        <message>
            <source>RFC 6455 §8.1, §5.6</source>
            <comment>why:invalid-utf8:rfc</comment>
            <translation>RFC 6455 §8.1, §5.6</translation>
        </message>
        <message>
            <source>Some status codes describe what an endpoint observed, not what a peer said: 1005 (no code received), 1006 (the connection dropped without a Close) and 1015 (the TLS handshake failed). A peer able to send a Close frame cannot be in those situations, so sending them would lie to the other side's API. Codes below 1000 are unused, and the ranges above keep each code's meaning the same everywhere.</source>
            <comment>why:invalid-close-code</comment>
            <translation>有些关闭码描述的是端点自己观察到的情况，而不是对端告知的内容：1005（没有收到关闭码）、1006（连接在没有 Close 的情况下断开）和 1015（TLS 握手失败）。能够发送 Close 帧的对端不可能处于这些情况，因此发送这些关闭码等于向另一端的 API 撒谎。1000 以下的关闭码没有使用，而 1000 以上划分的各个范围保证了每个关闭码在任何地方含义都相同。</translation>
        </message>
        <message>
            <source>RFC 6455 §7.4.1, §7.4.2</source>
            <comment>why:invalid-close-code:rfc</comment>
            <translation>RFC 6455 §7.4.1, §7.4.2</translation>
        </message>
        <message>
            <source>A Close body has a fixed shape so every receiver reads the same reason: nothing at all, or a 2-byte status code and then optional UTF-8 text. One lone byte cannot be a status code, so the receiver cannot know why the peer is closing and treats the frame as a protocol error.</source>
            <comment>why:close-payload-one-byte</comment>
            <translation>Close 帧的载荷有固定的格式，这样每个接收方读到的关闭原因都相同：要么什么都没有，要么是一个 2 字节的关闭码，后面跟着可选的 UTF-8 文本。单独一个字节不可能构成关闭码，接收方无法知道对端为什么关闭，因此把这个帧视为协议错误。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.5.1</source>
            <comment>why:close-payload-one-byte:rfc</comment>
            <translation>RFC 6455 §5.5.1</translation>
        </message>
        <message>
            <source>Sending Close says: I will send no more data. The closing handshake relies on it; once both Close frames are exchanged, each side knows the other has received everything sent before, and the TCP connection can end. Data after a Close breaks that promise and is thrown away by the receiver.</source>
            <comment>why:data-after-close</comment>
            <translation>发送 Close 就等于声明：我不会再发送数据了。关闭握手正依赖于这一点；双方交换完 Close 帧之后，每一方都知道对方已经收到了此前发送的全部内容，TCP 连接就可以结束。Close 之后的数据违背了这个承诺，接收方会将其丢弃。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.5.1, §7.1.2</source>
            <comment>why:data-after-close:rfc</comment>
            <translation>RFC 6455 §5.5.1, §7.1.2</translation>
        </message>
        <message>
            <source>A Pong repeats the Ping's application data so the pinger can tell which Ping it answers: a counter or a timestamp in the Ping then measures the round trip or proves the peer is still reading. A Pong with other data cannot prove that, so it does not count as the answer.</source>
            <comment>why:pong-mismatch</comment>
            <translation>Pong 原样重复 Ping 的应用数据，发送 Ping 的一方就能分辨它回应的是哪个 Ping：在 Ping 中放入计数器或时间戳，就可以测量往返时间，或证明对端仍在读取数据。携带其他数据的 Pong 无法证明这一点，因此不算作应答。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.5.3, §5.5.2</source>
            <comment>why:pong-mismatch:rfc</comment>
            <translation>RFC 6455 §5.5.3, §5.5.2</translation>
        </message>
        <message>
            <source>permessage-deflate compresses whole messages, so the decision is made once, on the first frame: RSV1 there means inflate the reassembled message. Setting it again on a continuation would be meaningless at best and ambiguous with another extension at worst, so RFC 7692 keeps it 0 there.</source>
            <comment>why:rsv1-on-continuation</comment>
            <translation>permessage-deflate 压缩的是整条消息，所以是否压缩只在第一个帧上决定一次：那里的 RSV1 表示要对重组后的消息进行解压。在延续帧上再次设置 RSV1，往好了说毫无意义，往坏了说会与其他扩展产生歧义，因此 RFC 7692 规定它在延续帧上保持为 0。</translation>
        </message>
        <message>
            <source>RFC 7692 §6.1</source>
            <comment>why:rsv1-on-continuation:rfc</comment>
            <translation>RFC 7692 §6.1</translation>
        </message>
        <message>
            <source>If the compressed bytes do not inflate, the receiver cannot know what the sender meant, and with context takeover every later message depends on this one's window too. There is no way to resume, so the connection is failed instead of handing damaged data to the application.</source>
            <comment>why:decompression-failed</comment>
            <translation>如果压缩的字节无法解压，接收方就无从得知发送方的本意；而在启用上下文接管（context takeover）时，之后的每条消息也都依赖于这条消息的窗口。连接无法恢复，因此直接使连接失败，而不是把损坏的数据交给应用。</translation>
        </message>
        <message>
            <source>RFC 7692 §6.2</source>
            <comment>why:decompression-failed:rfc</comment>
            <translation>RFC 7692 §6.2</translation>
        </message>
        <message>
            <source>A frame's length field tells a reader how many bytes belong to it and where the next frame starts. When the capture stops before that many bytes, the missing bytes are simply not there: the inspector shows the frame as cut rather than guessing, and never reserves memory for bytes a header only claims.</source>
            <comment>why:truncated-frame</comment>
            <translation>帧的长度字段告诉读取方有多少字节属于这个帧，以及下一个帧从哪里开始。如果抓包在凑足这么多字节之前就结束了，缺少的字节就是根本不存在：检查器把这个帧显示为被截断，而不去猜测，也从不为帧头仅仅声称存在的字节预留内存。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.2</source>
            <comment>why:truncated-frame:rfc</comment>
            <translation>RFC 6455 §5.2</translation>
        </message>
        <message>
            <source>The accept value proves the response comes from a server that understood this WebSocket request: only such a server combines the client's fresh key with the GUID and hashes it. A plain HTTP server, a misconfigured proxy or a cache replaying an old response cannot produce it, so the client fails the connection instead of sending frames to something that does not speak the protocol.</source>
            <comment>why:bad-accept</comment>
            <translation>accept 值证明响应来自一个理解了这次 WebSocket 请求的服务器：只有这样的服务器才会把客户端新生成的键与 GUID 拼接起来并计算哈希。普通的 HTTP 服务器、配置错误的代理或重放旧响应的缓存都无法生成它，因此客户端会使连接失败，而不是向一个不懂这个协议的对象发送帧。</translation>
        </message>
        <message>
            <source>RFC 6455 §4.2.2, §1.3</source>
            <comment>why:bad-accept:rfc</comment>
            <translation>RFC 6455 §4.2.2, §1.3</translation>
        </message>
        <message>
            <source>The key is a fresh 16-byte random value per connection, so each accept value is new and a cached or replayed response cannot match it. A key that is not the base64 of 16 bytes shows a client that did not follow the handshake, and a server may refuse it.</source>
            <comment>why:bad-key</comment>
            <translation>这个键是每个连接新生成的 16 字节随机值，因此每个 accept 值都是新的，缓存或重放的响应不可能与之匹配。如果键不是 16 个字节的 base64 编码，就说明客户端没有遵循握手规定，服务器可以拒绝它。</translation>
        </message>
        <message>
            <source>RFC 6455 §4.1, §10.3</source>
            <comment>why:bad-key:rfc</comment>
            <translation>RFC 6455 §4.1, §10.3</translation>
        </message>
        <message>
            <source>The drafts before RFC 6455 framed and shook hands differently, and version 13 names the final protocol. A server that sees another version answers 426 with the versions it speaks, so client and server never exchange frames in two different dialects.</source>
            <comment>why:bad-version</comment>
            <translation>RFC 6455 之前的各个草案在分帧和握手方式上各不相同，版本 13 指的是最终定稿的协议。服务器看到其他版本时，会以 426 应答并列出自己支持的版本，这样客户端和服务器就不会用两种不同的“方言”交换帧。</translation>
        </message>
        <message>
            <source>RFC 6455 §4.1, §4.4</source>
            <comment>why:bad-version:rfc</comment>
            <translation>RFC 6455 §4.1, §4.4</translation>
        </message>
        <message>
            <source>The handshake reuses HTTP's own way of switching protocols. Requiring Upgrade: websocket makes the request unmistakable: an ordinary HTTP request can never be taken for a WebSocket opening, and a server that does not know WebSocket just answers it as plain HTTP.</source>
            <comment>why:missing-upgrade-header</comment>
            <translation>握手沿用了 HTTP 本身切换协议的机制。要求带上 Upgrade: websocket，能让这个请求不会被误认：普通的 HTTP 请求永远不会被当成 WebSocket 的开始握手，而不认识 WebSocket 的服务器只会把它当作普通的 HTTP 请求来应答。</translation>
        </message>
        <message>
            <source>RFC 6455 §4.1, RFC 7230 §6.7</source>
            <comment>why:missing-upgrade-header:rfc</comment>
            <translation>RFC 6455 §4.1, RFC 7230 §6.7</translation>
        </message>
        <message>
            <source>Connection: Upgrade marks the Upgrade header as meant for the next hop only. A proxy that does not understand the upgrade then removes it instead of passing a half-understood switch along, so either every hop agrees to the new protocol or the handshake fails plainly.</source>
            <comment>why:missing-connection-header</comment>
            <translation>Connection: Upgrade 表明 Upgrade 首部只针对下一跳。这样，不理解这次升级的代理会删除该首部，而不是把一个自己一知半解的协议切换继续转发下去；于是要么每一跳都同意改用新协议，要么握手干脆地失败。</translation>
        </message>
        <message>
            <source>RFC 6455 §4.2.2, RFC 7230 §6.1</source>
            <comment>why:missing-connection-header:rfc</comment>
            <translation>RFC 6455 §4.2.2, RFC 7230 §6.1</translation>
        </message>
        <message>
            <source>The opening handshake is an ordinary HTTP GET so it passes through existing servers, proxies and authentication. A GET has no body, so the bytes after the blank line can only be WebSocket frames and never part of the request.</source>
            <comment>why:method-not-get</comment>
            <translation>开始握手是一个普通的 HTTP GET 请求，因此能够顺利通过现有的服务器、代理和认证机制。GET 请求没有请求体，所以空行之后的字节只可能是 WebSocket 帧，绝不会是请求的一部分。</translation>
        </message>
        <message>
            <source>RFC 6455 §4.1</source>
            <comment>why:method-not-get:rfc</comment>
            <translation>RFC 6455 §4.1</translation>
        </message>
        <message>
            <source>The Upgrade mechanism belongs to HTTP/1.1; an HTTP/1.0 peer or proxy does not know hop-by-hop headers and could forward the switch without taking part in it. Asking for HTTP/1.1 or later keeps every hop able to understand what the request asks for.</source>
            <comment>why:old-http-version</comment>
            <translation>Upgrade 机制属于 HTTP/1.1；HTTP/1.0 的对端或代理不认识逐跳（hop-by-hop）首部，可能会把切换请求转发出去，自己却不参与切换。要求 HTTP/1.1 或更高版本，可以保证每一跳都能理解这个请求的意图。</translation>
        </message>
        <message>
            <source>RFC 6455 §4.1, RFC 7230 §6.7</source>
            <comment>why:old-http-version:rfc</comment>
            <translation>RFC 6455 §4.1, RFC 7230 §6.7</translation>
        </message>
        <message>
            <source>Host names the site the client means, so one address can serve many sites and a server can refuse requests for names it does not serve, which blunts DNS rebinding. HTTP/1.1 requires it on every request, and the handshake is an HTTP/1.1 request.</source>
            <comment>why:missing-host-header</comment>
            <translation>Host 指明客户端要访问的网站，这样一个地址可以承载多个网站，服务器也可以拒绝那些针对它并不提供服务的域名的请求，从而削弱 DNS 重绑定攻击。HTTP/1.1 要求每个请求都带有 Host，而握手正是一个 HTTP/1.1 请求。</translation>
        </message>
        <message>
            <source>RFC 6455 §4.1, RFC 7230 §5.4</source>
            <comment>why:missing-host-header:rfc</comment>
            <translation>RFC 6455 §4.1, RFC 7230 §5.4</translation>
        </message>
        <message>
            <source>There must be exactly one accept value to check. With two, a client could check one while something else read the other, and a value injected along the way could sit beside the real one. The header is registered as appearing once, so a client refuses a response that repeats it.</source>
            <comment>why:repeated-accept-header</comment>
            <translation>需要检查的 accept 值必须恰好只有一个。如果有两个，客户端可能检查了其中一个，而别的组件读取的却是另一个；途中被注入的值也可能混在真正的值旁边。这个首部在注册时就规定只能出现一次，因此客户端会拒绝重复出现该首部的响应。</translation>
        </message>
        <message>
            <source>RFC 6455 §11.3.3, §4.1</source>
            <comment>why:repeated-accept-header:rfc</comment>
            <translation>RFC 6455 §11.3.3, §4.1</translation>
        </message>
        <message>
            <source>Parsers used to disagree about whitespace between a header name and its colon: one kept the header, another dropped it or read a different name. Such disagreements let requests be smuggled past a proxy, so HTTP/1.1 now rejects the form outright.</source>
            <comment>why:malformed-header-line</comment>
            <translation>过去，各个解析器对首部名与冒号之间的空白处理不一：有的保留这个首部，有的将其丢弃，或者读成另一个名字。这类分歧会让请求被偷偷带过代理（请求走私），所以 HTTP/1.1 现在直接拒绝这种写法。</translation>
        </message>
        <message>
            <source>RFC 7230 §3.2.4</source>
            <comment>why:malformed-header-line:rfc</comment>
            <translation>RFC 7230 §3.2.4</translation>
        </message>
        <message>
            <source>The subprotocol fixes what the messages mean. The client offers the ones it can speak and the server picks one of them; a name the client never offered means the two sides would read each other's messages by different rules, so the client fails the connection.</source>
            <comment>why:unrequested-subprotocol</comment>
            <translation>子协议决定了消息的含义。客户端提供它能使用的子协议，服务器从中选择一个；如果服务器给出的名字客户端从未提供过，双方就会按不同的规则解读对方的消息，因此客户端会使连接失败。</translation>
        </message>
        <message>
            <source>RFC 6455 §4.2.2, §4.1</source>
            <comment>why:unrequested-subprotocol:rfc</comment>
            <translation>RFC 6455 §4.2.2, §4.1</translation>
        </message>
        <message>
            <source>An extension changes how frames are built (RSV bits, transformed payloads). The server may only accept extensions the client offered, because a client cannot decode frames shaped by an extension it never asked for.</source>
            <comment>why:unrequested-extension</comment>
            <translation>扩展会改变帧的构造方式（RSV 位、经过变换的载荷）。服务器只能接受客户端提供过的扩展，因为客户端无法解码由它从未请求过的扩展所塑造的帧。</translation>
        </message>
        <message>
            <source>RFC 6455 §9.1</source>
            <comment>why:unrequested-extension:rfc</comment>
            <translation>RFC 6455 §9.1</translation>
        </message>
        <message>
            <source>permessage-deflate's parameters (window sizes, context takeover) decide how much history the compressor may refer to. Both sides must hold exactly the same agreement, or inflating fails in the middle of the connection; refusing a malformed offer in the handshake fails early and cheaply.</source>
            <comment>why:bad-extension-parameters</comment>
            <translation>permessage-deflate 的参数（窗口大小、上下文接管）决定了压缩器可以引用多少历史数据。双方持有的约定必须完全相同，否则解压会在连接中途失败；在握手时就拒绝格式错误的提议，能让失败来得早、代价也小。</translation>
        </message>
        <message>
            <source>RFC 7692 §7.1</source>
            <comment>why:bad-extension-parameters:rfc</comment>
            <translation>RFC 7692 §7.1</translation>
        </message>
        <message>
            <source>A connection speaks one application protocol from start to end. The server answers with the single subprotocol it chose; a list would leave the client to guess which one the messages follow.</source>
            <comment>why:multiple-subprotocols</comment>
            <translation>一个连接从头到尾只使用一种应用协议。服务器用它选定的那一个子协议应答；如果给出一个列表，客户端就只能去猜消息遵循的是其中哪一个。</translation>
        </message>
        <message>
            <source>RFC 6455 §4.2.2, §1.9</source>
            <comment>why:multiple-subprotocols:rfc</comment>
            <translation>RFC 6455 §4.2.2, §1.9</translation>
        </message>
        <message>
            <source>A few kilobytes of DEFLATE can inflate to gigabytes. Every receiver needs a limit on the size it accepts, and closes with 1009 when a message goes past it; the inspector keeps such a limit too, so a hostile capture cannot exhaust its memory, and shows the data up to the limit.</source>
            <comment>why:inflate-limit-exceeded</comment>
            <translation>几 KB 的 DEFLATE 数据可以解压成几 GB。每个接收方都需要为自己接受的大小设置上限，并在消息超出上限时以 1009 关闭连接；检查器同样设有这样的上限，使恶意构造的抓包无法耗尽它的内存，并会显示上限以内的数据。</translation>
        </message>
        <message>
            <source>RFC 6455 §10.4, §7.4.1</source>
            <comment>why:inflate-limit-exceeded:rfc</comment>
            <translation>RFC 6455 §10.4, §7.4.1</translation>
        </message>
        <message>
            <source>With context takeover, the compressor of one message may refer back to bytes of earlier messages (up to the agreed window). If the capture missed those messages, the references point into history the inspector never saw, so the message cannot be rebuilt; this is a limit of the capture, not a fault of the sender.</source>
            <comment>why:inflate-window-missing</comment>
            <translation>在启用上下文接管时，一条消息的压缩器可以回头引用之前消息中的字节（最远不超过商定的窗口）。如果抓包漏掉了那些消息，这些引用就指向检查器从未见过的历史数据，这条消息因此无法还原；这是抓包的局限，而不是发送方的错误。</translation>
        </message>
        <message>
            <source>RFC 7692 §7.1.1, §7.2.1</source>
            <comment>why:inflate-window-missing:rfc</comment>
            <translation>RFC 7692 §7.1.1, §7.2.1</translation>
        </message>
        <message>
            <source>Draft 76 hid a number in each key among random characters and spaces, so that no form or other protocol could produce a valid handshake by accident, and only a server that really parsed the keys could answer. A key whose number does not divide by its spaces cannot be answered; RFC 6455 later replaced the puzzle with one base64 key.</source>
            <comment>why:hixie-bad-key</comment>
            <translation>草案 76 把一个数字藏在每个键的随机字符和空格之间，使任何表单或其他协议都不可能碰巧生成一个有效的握手，而且只有真正解析了这些键的服务器才能应答。如果键中的数字不能被其空格数整除，就无法应答；RFC 6455 后来用单个 base64 键取代了这道谜题。</translation>
        </message>
        <message>
            <source>draft-hixie-76 §5.2</source>
            <comment>why:hixie-bad-key:rfc</comment>
            <translation>draft-hixie-76 §5.2</translation>
        </message>
        <message>
            <source>The 16-byte MD5 answer proved the server read both keys and the 8 bytes after the request. It also put bytes outside HTTP's headers, which many proxies mangled; RFC 6455 moved the proof into a header (Sec-WebSocket-Accept) for that reason.</source>
            <comment>why:hixie-bad-challenge</comment>
            <translation>16 字节的 MD5 应答证明服务器读取了两个键以及请求之后的 8 个字节。但它也把字节放在了 HTTP 首部之外，许多代理会把这些字节弄乱；正因为如此，RFC 6455 把这项证明移到了一个首部（Sec-WebSocket-Accept）中。</translation>
        </message>
        <message>
            <source>draft-hixie-76 §5.2, §4.1</source>
            <comment>why:hixie-bad-challenge:rfc</comment>
            <translation>draft-hixie-76 §5.2, §4.1</translation>
        </message>
        <message>
            <source>The old drafts had the server repeat the origin and the URL it accepted, so the browser could check the server agreed to serve this page at this address. RFC 6455 dropped the pair: the accept value ties the response to the request, and the server checks Origin itself.</source>
            <comment>why:hixie-missing-location</comment>
            <translation>旧草案要求服务器重复它所接受的 origin 和 URL，以便浏览器确认服务器同意在这个地址为这个页面提供服务。RFC 6455 去掉了这两个首部：accept 值把响应与请求绑定在一起，而 Origin 由服务器自己检查。</translation>
        </message>
        <message>
            <source>draft-hixie-76 §5.2, draft-hixie-75 §4.2</source>
            <comment>why:hixie-missing-location:rfc</comment>
            <translation>draft-hixie-76 §5.2, draft-hixie-75 §4.2</translation>
        </message>
        <message>
            <source>The drafts' text frame is 0x00, the text, then 0xFF; other type bytes were kept for later and must be skipped so that new types would not break old readers. Sentinel framing could not carry a 0xFF byte or binary data cleanly, one reason RFC 6455 moved to length-prefixed frames.</source>
            <comment>why:hixie-unknown-frame-type</comment>
            <translation>草案中的文本帧依次由 0x00、文本和 0xFF 组成；其他类型字节保留给以后使用，接收方必须跳过它们，这样新的类型就不会让旧的读取方出错。这种以结束标记分帧的方式无法干净地承载 0xFF 字节或二进制数据，这也是 RFC 6455 改用带长度前缀的帧的原因之一。</translation>
        </message>
        <message>
            <source>draft-hixie-76 §4.2</source>
            <comment>why:hixie-unknown-frame-type:rfc</comment>
            <translation>draft-hixie-76 §4.2</translation>
        </message>
        <message>
            <source>The handshake decides how frames are read: which extension owns RSV1, which subprotocol the messages follow, and which side is the client (so which frames must be masked). Without it the inspector finds frame boundaries by resynchronising and cannot check those rules.</source>
            <comment>why:handshake-missing</comment>
            <translation>握手决定了如何解读帧：哪个扩展占用 RSV1，消息遵循哪个子协议，以及哪一方是客户端（从而哪些帧必须加掩码）。没有握手，检查器只能通过重新同步来寻找帧边界，也无法检查这些规则。</translation>
        </message>
        <message>
            <source>RFC 6455 §4, §5.2</source>
            <comment>why:handshake-missing:rfc</comment>
            <translation>RFC 6455 §4, §5.2</translation>
        </message>
        <message>
            <source>Framing is driven by lengths: every frame boundary follows from the one before it. A single lost byte shifts everything after, so the inspector marks the gap (TCP's sequence numbers show it) and resynchronises, instead of decoding the rest as nonsense.</source>
            <comment>why:capture-gap</comment>
            <translation>分帧由长度驱动：每个帧的边界都由前一个帧推算而来。只要丢失一个字节，之后的所有内容都会错位，因此检查器会标记出缺口（TCP 的序列号可以揭示缺口），然后重新同步，而不是把余下的内容解码成一堆乱码。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.2, RFC 9293 §3.4</source>
            <comment>why:capture-gap:rfc</comment>
            <translation>RFC 6455 §5.2, RFC 9293 §3.4</translation>
        </message>
        <message>
            <source>Bytes inside this frame were lost by the capture (TCP's sequence numbers show the hole). The header still says how long the frame is, so the frames after it stay in step, but this frame's payload cannot be shown or checked in full.</source>
            <comment>why:frame-gap</comment>
            <translation>这个帧中的部分字节在抓包时丢失了（TCP 的序列号揭示了这个空洞）。帧头仍然给出了帧的长度，因此它之后的帧依然保持同步，但这个帧的载荷无法完整显示或检查。</translation>
        </message>
        <message>
            <source>RFC 6455 §5.2, RFC 9293 §3.4</source>
            <comment>why:frame-gap:rfc</comment>
            <translation>RFC 6455 §5.2, RFC 9293 §3.4</translation>
        </message>
        <message>
            <source>The HTTP Upgrade and the accept key</source>
            <comment>tour:upgrade:title</comment>
            <translation>HTTP Upgrade 与 accept 值</translation>
        </message>
        <message>
            <source>Every WebSocket connection starts as an HTTP/1.1 GET. The client asks to switch protocols with Upgrade: websocket and Connection: Upgrade, and sends a random Sec-WebSocket-Key. The server answers 101 Switching Protocols with Sec-WebSocket-Accept: the key plus a fixed GUID, hashed with SHA-1 and written in base64. The handshake pane works it out step by step; compare the last line with what the server sent. Help → Handshake Calculator does the same for the key in your notes.</source>
            <comment>tour:upgrade:body</comment>
            <translation>每个 WebSocket 连接都以一个 HTTP/1.1 GET 请求开始。客户端用 Upgrade: websocket 和 Connection: Upgrade 请求切换协议，并发送一个随机的 Sec-WebSocket-Key。服务器以 101 Switching Protocols 应答，并带上 Sec-WebSocket-Accept：把 key 拼上一个固定的 GUID，做 SHA-1 哈希，再写成 base64。“握手”面板会逐步算出这个值；请把最后一行与服务器发送的值比较一下。“帮助 → 握手计算器”可以对你笔记里的 key 做同样的计算。</translation>
        </message>
        <message>
            <source>Before RFC 6455: the draft handshakes</source>
            <comment>tour:old-handshakes:title</comment>
            <translation>RFC 6455 之前：草案中的握手</translation>
        </message>
        <message>
            <source>Browsers of 2010 (and Flash fallbacks) spoke drafts of the protocol. In hixie-75 the server only echoed WebSocket-Origin and WebSocket-Location. hixie-76 added Key1 and Key2: the digits of each key divided by its number of spaces, followed by 8 more bytes, go through MD5, and the server sends the 16-byte answer after its headers. The comparison tab beside the handshake works this capture's challenge out and checks it against the server's bytes, then shows what RFC 6455 changed and why.</source>
            <comment>tour:old-handshakes:body</comment>
            <translation>2010 年的浏览器（以及 Flash 后备方案）使用的是该协议的草案版本。在 hixie-75 中，服务器只是回显 WebSocket-Origin 和 WebSocket-Location。hixie-76 增加了 Key1 和 Key2：每个 key 中的数字除以其中的空格数，再接上另外 8 个字节，一起做 MD5，服务器在首部之后发送 16 字节的应答。“握手”旁边的“新旧握手”标签页会算出本抓包中的质询，与服务器发送的字节进行核对，然后说明 RFC 6455 改了什么以及为什么要改。</translation>
        </message>
        <message>
            <source>The frame layout</source>
            <comment>tour:frame-layout:title</comment>
            <translation>帧的结构</translation>
        </message>
        <message>
            <source>After the 101 response, everything is frames. The diagram draws the first client frame in the RFC's 32-bit rows: FIN, three RSV bits, the 4-bit opcode, MASK, the 7-bit payload length, then the masking key and the payload. The length is selected: 0-125 is the length itself, 126 and 127 mean that 2 or 8 more bytes hold it. Click any field in the diagram to read what it means below the tree.</source>
            <comment>tour:frame-layout:body</comment>
            <translation>收到 101 响应之后，一切都是帧。“图示”按 RFC 中每行 32 位的方式画出客户端的第一个帧：FIN、三个 RSV 位、4 位操作码、MASK、7 位载荷长度，然后是掩码键和载荷。当前选中的是长度字段：0-125 就是长度本身，126 和 127 表示长度存放在后面的 2 个或 8 个字节里。单击图示中的任意字段，即可在字段树下方阅读它的含义。</translation>
        </message>
        <message>
            <source>Masking, and why it exists</source>
            <comment>tour:masking:title</comment>
            <translation>掩码，以及为什么需要它</translation>
        </message>
        <message>
            <source>This frame comes from the client, so MASK is 1 and a 4-byte key follows the length. The masking table shows each payload byte XORed with key byte i mod 4; XOR again and the text comes back. Masking is not encryption: the key travels in the clear. It stops a script from choosing the bytes on the wire, which could fool a proxy into caching a forged answer. Server frames are never masked.</source>
            <comment>tour:masking:body</comment>
            <translation>这个帧来自客户端，所以 MASK 为 1，长度之后跟着 4 字节的掩码键。“掩码”表格显示每个载荷字节与掩码键的第 i mod 4 个字节做异或；再异或一次，文本就恢复了。掩码不是加密：掩码键是明文传输的。它的作用是让脚本无法决定线路上出现的字节，否则脚本可能骗代理缓存一个伪造的应答。服务器发送的帧从不加掩码。</translation>
        </message>
        <message>
            <source>Fragmentation</source>
            <comment>tour:fragmentation:title</comment>
            <translation>分片</translation>
        </message>
        <message>
            <source>A message can be sent in pieces. This text frame has FIN = 0: more follows. The next frames are continuations (opcode 0x0) and the last one has FIN = 1. The messages view puts the pieces back together into one message; select it to see which frames it was made of. Only control frames may come between the pieces of a message.</source>
            <comment>tour:fragmentation:body</comment>
            <translation>一条消息可以分成几段发送。这个文本帧的 FIN = 0：后面还有。接下来的帧是延续帧（操作码 0x0），最后一个帧的 FIN = 1。“消息视图”会把这些分片重新拼成一条消息；选中它即可看到它由哪些帧组成。一条消息的各个分片之间只允许插入控制帧。</translation>
        </message>
        <message>
            <source>Ping and Pong: the heartbeat</source>
            <comment>tour:heartbeat:title</comment>
            <translation>Ping 与 Pong：心跳</translation>
        </message>
        <message>
            <source>Opcode 0x9 is a Ping and 0xA a Pong. The client pinged with a few bytes of data; the next frame is the server's Pong carrying exactly the same bytes, so the pinger knows which Ping it answers. Pings keep idle connections open through proxies and show that the peer is alive. Control frames carry at most 125 bytes and are never fragmented.</source>
            <comment>tour:heartbeat:body</comment>
            <translation>操作码 0x9 是 Ping，0xA 是 Pong。客户端发送了一个带几个字节数据的 Ping；下一个帧是服务器的 Pong，携带完全相同的字节，这样发送 Ping 的一方就知道它回应的是哪个 Ping。Ping 能让空闲连接在经过代理时保持打开，并表明对端仍然在线。控制帧最多携带 125 字节，而且从不分片。</translation>
        </message>
        <message>
            <source>Closing and the status codes</source>
            <comment>tour:close:title</comment>
            <translation>关闭与关闭码</translation>
        </message>
        <message>
            <source>A Close frame (opcode 0x8) starts the closing handshake. Its body begins with a 2-byte status code: 1000 is a normal close, 1001 going away, 1002 a protocol error, 1007 invalid data (bad UTF-8), 1009 too big. 1005, 1006 and 1015 are only reported by APIs and never sent. Each side sends one Close; after both, the TCP connection ends.</source>
            <comment>tour:close:body</comment>
            <translation>Close 帧（操作码 0x8）开始关闭握手。它的载荷以 2 字节的关闭码开头：1000 表示正常关闭，1001 表示端点离开，1002 表示协议错误，1007 表示数据无效（错误的 UTF-8），1009 表示消息过大。1005、1006 和 1015 只由 API 报告，从不发送。双方各发送一个 Close；两个都发出之后，TCP 连接结束。</translation>
        </message>
        <message>
            <source>Subprotocols and extensions: permessage-deflate</source>
            <comment>tour:deflate:title</comment>
            <translation>子协议与扩展：permessage-deflate</translation>
        </message>
        <message>
            <source>In the handshake, a client offers extensions (Sec-WebSocket-Extensions) and subprotocols (Sec-WebSocket-Protocol); the server keeps the ones it accepts. Here Chromium offered permessage-deflate and the server agreed, so RSV1 = 1 on a message's first frame now means the message is compressed. In the tree, the unmasked payload is still DEFLATE data; the inflated payload, and the payload pane, show the message the application received.</source>
            <comment>tour:deflate:body</comment>
            <translation>在握手中，客户端提议扩展（Sec-WebSocket-Extensions）和子协议（Sec-WebSocket-Protocol），服务器保留它接受的那些。这里 Chromium 提议了 permessage-deflate，服务器同意了，所以消息第一个帧上的 RSV1 = 1 现在表示该消息经过压缩。在字段树中，去掩码后的载荷（Unmasked payload）仍是 DEFLATE 数据；解压后的载荷（Inflated payload）和“载荷”面板显示的才是应用收到的消息。</translation>
        </message>
        <message>
            <source>A broken rule and why the RFC has it</source>
            <comment>tour:violation:title</comment>
            <translation>违反的规则，以及 RFC 为什么有这条规则</translation>
        </message>
        <message>
            <source>This capture breaks one rule per connection on purpose. The selected client frame has MASK = 0, and the server answered with Close 1002. The violations pane lists every broken rule with its section and the close code it earns; select one and read Why? for the reason behind the rule.</source>
            <comment>tour:violation:body</comment>
            <translation>这个抓包文件有意在每个连接中违反一条规则。选中的客户端帧 MASK = 0，服务器以 Close 1002 应答。“违规”面板列出每一条违反的规则，以及它所在的章节和由此应得的关闭码；选中一条，点击“为什么？”阅读这条规则背后的原因。</translation>
        </message>
        <message>
            <source>Your turn: start the lab server</source>
            <comment>tour:start-lab:title</comment>
            <translation>轮到你了：启动实验服务器</translation>
        </message>
        <message>
            <source>The crafter builds frames bit by bit and sends them to a real server. Start the bundled lab server on 127.0.0.1 and connect to it: Connect…, choose strict beside Lab server, Start lab server, then Connect. Or press Do it for me. The state line above the editor says open when the handshake is done.</source>
            <comment>tour:start-lab:body</comment>
            <translation>构造器逐位构建帧，并把它们发送到真正的服务器。在 127.0.0.1 上启动自带的实验服务器并连接它：点击“连接…”，在“实验服务器”旁选择 strict，点击“启动实验服务器”，再点击“连接”。也可以按“替我完成”。握手完成后，编辑器上方的状态行会显示“已打开”。</translation>
        </message>
        <message>
            <source>Send a text frame</source>
            <comment>tour:send-text:title</comment>
            <translation>发送一个文本帧</translation>
        </message>
        <message>
            <source>In the Frame tab, keep opcode 0x1 (text), FIN and MASK on with a random key, type a few words as the payload and press Send. The preview says the frame breaks no rule; the session log below shows the echo and the verdict PASS. Or press Do it for me.</source>
            <comment>tour:send-text:body</comment>
            <translation>在“帧”标签页中，保持操作码 0x1（文本），FIN 和 MASK 保持开启并使用随机掩码键，输入几个词作为载荷，然后按“发送”。预览会显示该帧“未违反任何规则”；下方的会话日志会显示回显和判定 PASS。也可以按“替我完成”。</translation>
        </message>
        <message>
            <source>Break a rule and read the verdict</source>
            <comment>tour:break-rule:title</comment>
            <translation>违反一条规则，查看判定</translation>
        </message>
        <message>
            <source>Now turn MASK off, set the masking key to none written, and send again. The preview lists the broken rule before you send, with its Why?; the strict server closes with 1002 and names the rule, and the verdict line says whether the server did what the RFC asks. Or press Do it for me. That is the end of the tour.</source>
            <comment>tour:break-rule:body</comment>
            <translation>现在关闭 MASK，把掩码键设为“不写入”，然后再次发送。发送之前，预览就会列出违反的规则及其“为什么？”；strict 服务器以 1002 关闭连接并指明该规则，判定行则说明服务器是否按 RFC 的要求做了。也可以按“替我完成”。导览到此结束。</translation>
        </message>
        <message>
            <source>Three opening handshakes, oldest first</source>
            <comment>compare:title</comment>
            <translation>三种开始握手，从旧到新</translation>
        </message>
        <message>
            <source>draft-hixie-75 (2010): the server echoes the origin and the URL</source>
            <comment>compare:hixie75</comment>
            <translation>draft-hixie-75（2010）：服务器回显 origin 和 URL</translation>
        </message>
        <message>
            <source>The client sends Upgrade: WebSocket and Origin; the server repeats them as WebSocket-Origin and WebSocket-Location. Nothing in the answer depends on anything secret or fresh.</source>
            <comment>compare:hixie75.how</comment>
            <translation>客户端发送 Upgrade: WebSocket 和 Origin；服务器把它们重复为 WebSocket-Origin 和 WebSocket-Location。应答中没有任何内容依赖于保密的或新生成的数据。</translation>
        </message>
        <message>
            <source>What was wrong: any server, or a proxy replaying an answer, could echo two headers, so the client could not tell a WebSocket server from something that only looked like one.</source>
            <comment>compare:hixie75.problem</comment>
            <translation>问题所在：任何服务器，或重放应答的代理，都能回显这两个首部，所以客户端无法分辨真正的 WebSocket 服务器和只是看起来像的东西。</translation>
        </message>
        <message>
            <source>draft-hixie-76 (2010): a challenge worked with MD5</source>
            <comment>compare:hixie76</comment>
            <translation>draft-hixie-76（2010）：用 MD5 计算的质询</translation>
        </message>
        <message>
            <source>Key1 and Key2 hide a number among random characters and spaces; the 8 bytes after the request headers are key3. The server divides each key's digits by its spaces and sends MD5(part1 + part2 + key3), 16 bytes after its headers.</source>
            <comment>compare:hixie76.how</comment>
            <translation>Key1 和 Key2 把一个数字藏在随机字符和空格之中；请求首部之后的 8 个字节是 key3。服务器把每个 key 的数字除以其空格数，并在首部之后发送 16 字节的 MD5(part1 + part2 + key3)。</translation>
        </message>
        <message>
            <source>What it fixed: only a server that parsed the request could answer. What was wrong: key3 and the answer sit outside the HTTP headers, where proxies dropped or mangled them, and the puzzle was easy to get wrong.</source>
            <comment>compare:hixie76.fixed</comment>
            <translation>改进之处：只有真正解析了请求的服务器才能应答。问题所在：key3 和应答位于 HTTP 首部之外，代理会把它们丢弃或改坏，而且这道谜题很容易算错。</translation>
        </message>
        <message>
            <source>RFC 6455 (2011): key and accept in headers</source>
            <comment>compare:rfc6455</comment>
            <translation>RFC 6455（2011）：key 和 accept 都在首部中</translation>
        </message>
        <message>
            <source>The client sends a random 16-byte Sec-WebSocket-Key in base64; the server answers base64(SHA-1(key + GUID)) in Sec-WebSocket-Accept, and Sec-WebSocket-Version says which protocol is spoken.</source>
            <comment>compare:rfc6455.how</comment>
            <translation>客户端发送一个随机的 16 字节 Sec-WebSocket-Key，以 base64 编码；服务器在 Sec-WebSocket-Accept 中应答 base64(SHA-1(key + GUID))，Sec-WebSocket-Version 则说明使用的是哪个协议版本。</translation>
        </message>
        <message>
            <source>What it fixed: the proof lives in ordinary headers that proxies pass along, needs no body bytes, and is one line of code; frames gained lengths, masking and close codes.</source>
            <comment>compare:rfc6455.fixed</comment>
            <translation>改进之处：证明放在代理会照常转发的普通首部中，不需要请求体字节，一行代码即可算出；帧也有了长度、掩码和关闭码。</translation>
        </message>
        <message>
            <source>This connection ({protocol}):</source>
            <comment>compare:this-connection</comment>
            <translation>本连接（{protocol}）：</translation>
        </message>
        <message>
            <source>Not this connection: open {capture} to see it worked out.</source>
            <comment>compare:other-capture</comment>
            <translation>不是本连接：打开 {capture} 即可看到它的计算过程。</translation>
        </message>
        <message>
            <source>The RFC's own example (§1.3):</source>
            <comment>compare:example</comment>
            <translation>RFC 自带的示例（§1.3）：</translation>
        </message>
        <message>
            <source>a client must mask every frame it sends</source>
            <comment>rule:unmasked-client-frame</comment>
            <translation>客户端发送的每个帧都必须加掩码</translation>
        </message>
        <message>
            <source>a server must not mask the frames it sends</source>
            <comment>rule:masked-server-frame</comment>
            <translation>服务器发送的帧不得加掩码</translation>
        </message>
        <message>
            <source>RSV1-3 must be 0 unless a negotiated extension gives them a meaning</source>
            <comment>rule:reserved-bits</comment>
            <translation>除非协商的扩展赋予其含义，RSV1-3 必须为 0</translation>
        </message>
        <message>
            <source>opcodes 0x3-0x7 and 0xB-0xF are reserved</source>
            <comment>rule:reserved-opcode</comment>
            <translation>操作码 0x3-0x7 和 0xB-0xF 是保留的</translation>
        </message>
        <message>
            <source>a control frame carries at most 125 payload bytes</source>
            <comment>rule:control-frame-too-long</comment>
            <translation>控制帧的载荷最多 125 字节</translation>
        </message>
        <message>
            <source>a control frame must not be fragmented (FIN must be 1)</source>
            <comment>rule:fragmented-control-frame</comment>
            <translation>控制帧不得分片（FIN 必须为 1）</translation>
        </message>
        <message>
            <source>the payload length must be written in the fewest bytes</source>
            <comment>rule:non-minimal-length</comment>
            <translation>载荷长度必须用最少的字节表示</translation>
        </message>
        <message>
            <source>the most significant bit of a 64-bit length must be 0</source>
            <comment>rule:length-msb-set</comment>
            <translation>64 位长度的最高位必须为 0</translation>
        </message>
        <message>
            <source>a continuation frame arrived with no fragmented message open</source>
            <comment>rule:unexpected-continuation</comment>
            <translation>收到了延续帧，但没有未完成的分片消息</translation>
        </message>
        <message>
            <source>a new data frame arrived while a fragmented message was still open</source>
            <comment>rule:expected-continuation</comment>
            <translation>分片消息尚未结束时又收到了新的数据帧</translation>
        </message>
        <message>
            <source>text must be valid UTF-8</source>
            <comment>rule:invalid-utf8</comment>
            <translation>文本必须是合法的 UTF-8</translation>
        </message>
        <message>
            <source>this status code must not be sent in a Close frame</source>
            <comment>rule:invalid-close-code</comment>
            <translation>这个关闭码不得在 Close 帧中发送</translation>
        </message>
        <message>
            <source>a Close body is empty or starts with a 2-byte status code</source>
            <comment>rule:close-payload-one-byte</comment>
            <translation>Close 帧载荷要么为空，要么以 2 字节的关闭码开头</translation>
        </message>
        <message>
            <source>an endpoint sends no data frame after its Close frame</source>
            <comment>rule:data-after-close</comment>
            <translation>端点发送 Close 帧之后不再发送数据帧</translation>
        </message>
        <message>
            <source>a Pong answering a Ping must carry the same application data</source>
            <comment>rule:pong-mismatch</comment>
            <translation>回应 Ping 的 Pong 必须携带相同的应用数据</translation>
        </message>
        <message>
            <source>permessage-deflate sets RSV1 only on a message's first frame</source>
            <comment>rule:rsv1-on-continuation</comment>
            <translation>permessage-deflate 只在消息的第一个帧上设置 RSV1</translation>
        </message>
        <message>
            <source>the compressed payload could not be inflated</source>
            <comment>rule:decompression-failed</comment>
            <translation>压缩的载荷无法解压</translation>
        </message>
        <message>
            <source>the capture ends inside this frame</source>
            <comment>rule:truncated-frame</comment>
            <translation>抓包在这个帧的中间结束</translation>
        </message>
        <message>
            <source>Sec-WebSocket-Accept must be base64(SHA-1(key + GUID))</source>
            <comment>rule:bad-accept</comment>
            <translation>Sec-WebSocket-Accept 必须等于 base64(SHA-1(key + GUID))</translation>
        </message>
        <message>
            <source>Sec-WebSocket-Key must be the base64 of 16 bytes</source>
            <comment>rule:bad-key</comment>
            <translation>Sec-WebSocket-Key 必须是 16 个字节的 base64</translation>
        </message>
        <message>
            <source>Sec-WebSocket-Version must be 13</source>
            <comment>rule:bad-version</comment>
            <translation>Sec-WebSocket-Version 必须为 13</translation>
        </message>
        <message>
            <source>the Upgrade header must contain the token 'websocket'</source>
            <comment>rule:missing-upgrade-header</comment>
            <translation>Upgrade 首部必须包含记号 'websocket'</translation>
        </message>
        <message>
            <source>the Connection header must contain the token 'Upgrade'</source>
            <comment>rule:missing-connection-header</comment>
            <translation>Connection 首部必须包含记号 'Upgrade'</translation>
        </message>
        <message>
            <source>the opening handshake must be a GET request</source>
            <comment>rule:method-not-get</comment>
            <translation>开始握手必须是 GET 请求</translation>
        </message>
        <message>
            <source>the opening handshake must be an HTTP/1.1 (or later) request</source>
            <comment>rule:old-http-version</comment>
            <translation>开始握手必须是 HTTP/1.1（或更高版本）的请求</translation>
        </message>
        <message>
            <source>the opening request must carry a Host header</source>
            <comment>rule:missing-host-header</comment>
            <translation>开始握手的请求必须带有 Host 首部</translation>
        </message>
        <message>
            <source>Sec-WebSocket-Accept must not appear more than once in the response</source>
            <comment>rule:repeated-accept-header</comment>
            <translation>响应中的 Sec-WebSocket-Accept 不得出现多次</translation>
        </message>
        <message>
            <source>no whitespace is allowed between a header field's name and its colon</source>
            <comment>rule:malformed-header-line</comment>
            <translation>首部字段名与冒号之间不允许有空白</translation>
        </message>
        <message>
            <source>the server chose a subprotocol the client did not offer</source>
            <comment>rule:unrequested-subprotocol</comment>
            <translation>服务器选择了客户端没有提供的子协议</translation>
        </message>
        <message>
            <source>the server accepted an extension the client did not offer</source>
            <comment>rule:unrequested-extension</comment>
            <translation>服务器接受了客户端没有提供的扩展</translation>
        </message>
        <message>
            <source>the extension negotiation headers are malformed or the agreed parameters are invalid</source>
            <comment>rule:bad-extension-parameters</comment>
            <translation>扩展协商的首部格式错误，或商定的参数无效</translation>
        </message>
        <message>
            <source>the server must choose at most one subprotocol</source>
            <comment>rule:multiple-subprotocols</comment>
            <translation>服务器最多只能选择一个子协议</translation>
        </message>
        <message>
            <source>the message inflates past the inspector's limit; the data shown stops at the limit</source>
            <comment>rule:inflate-limit-exceeded</comment>
            <translation>消息解压后超过了检查器的上限；显示的数据截止于上限</translation>
        </message>
        <message>
            <source>the compression window from before the capture (or a gap) is missing, so this message cannot be inflated</source>
            <comment>rule:inflate-window-missing</comment>
            <translation>缺少抓包开始之前（或某个缺口处）的压缩窗口，所以这条消息无法解压</translation>
        </message>
        <message>
            <source>a Sec-WebSocket-Key has no spaces, a number not divisible by them, or a part over 32 bits</source>
            <comment>rule:hixie-bad-key</comment>
            <translation>某个 Sec-WebSocket-Key 没有空格、其数字不能被空格数整除，或某部分超过 32 位</translation>
        </message>
        <message>
            <source>the 16 bytes after the server's headers must be MD5(part1 + part2 + key3)</source>
            <comment>rule:hixie-bad-challenge</comment>
            <translation>服务器首部之后的 16 个字节必须等于 MD5(part1 + part2 + key3)</translation>
        </message>
        <message>
            <source>the server must answer with the origin and location headers of its draft</source>
            <comment>rule:hixie-missing-location</comment>
            <translation>服务器必须用其草案规定的 origin 和 location 首部应答</translation>
        </message>
        <message>
            <source>only type 0x00 carries text; other sentinel-terminated frames are discarded</source>
            <comment>rule:hixie-unknown-frame-type</comment>
            <translation>只有类型 0x00 携带文本；其他以结束标记终止的帧被丢弃</translation>
        </message>
        <message>
            <source>the opening handshake was not captured; frame boundaries were found by resynchronising</source>
            <comment>rule:handshake-missing</comment>
            <translation>没有抓到开始握手；帧边界是通过重新同步找到的</translation>
        </message>
        <message>
            <source>the capture lost bytes of this connection</source>
            <comment>rule:capture-gap</comment>
            <translation>抓包丢失了这个连接的部分字节</translation>
        </message>
        <message>
            <source>bytes of this frame were lost in a capture gap</source>
            <comment>rule:frame-gap</comment>
            <translation>这个帧的部分字节在抓包缺口中丢失了</translation>
        </message>
    </context>
</TS>
