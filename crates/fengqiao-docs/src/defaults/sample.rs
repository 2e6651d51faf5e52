//! A realistic sample context (a wage dispute of three workers against a labour contractor) that
//! fills every default template; used for template previews and tests. All names are invented.

use serde_json::{Value, json};

/// The sample context; personal numbers are masked as they would be in an export.
pub fn sample_context() -> Value {
    json!({
        "case": {
            "code": "2611-4831-0572-9",
            "number": "（2025）浙0102人调受字第0153号",
            "type": "劳动争议（欠薪）",
            "accepted_on": "2025年3月5日",
            "facts": "2024年3月至2024年12月，三名申请人受被申请人招用，在其承接的杭州市上城区望江新城安置房项目从事钢筋、木工作业，\
                      双方约定按日结算工资。工程完工后，被申请人以工程款尚未结清为由，至今拖欠三名申请人劳动报酬合计人民币86,400.00元，\
                      申请人多次催讨未果。",
            "issues": "被申请人是否应当支付拖欠的劳动报酬，以及支付的数额和期限。",
            "responsibility": "被申请人未按约定足额支付劳动报酬，应承担支付责任；申请人对工作量的主张有考勤记录佐证。",
            "amount": "86,400.00"
        },
        "applicants": [
            {
                "name": "王建军", "gender": "男", "birth_date": "1978年4月12日",
                "address": "浙江省淳安县千岛湖镇环湖北路8号", "id_number": "330127********2316",
                "phone": "138****5621", "legal_representative": null, "credit_code": null
            },
            {
                "name": "李秀英", "gender": "女", "birth_date": "1982年9月3日",
                "address": "浙江省淳安县汾口镇汾口村12号", "id_number": "330127********4527",
                "phone": "159****0832", "legal_representative": null, "credit_code": null
            },
            {
                "name": "陈志强", "gender": "男", "birth_date": "1990年1月27日",
                "address": "安徽省歙县徽城镇练江路45号", "id_number": "341021********1019",
                "phone": "177****3406", "legal_representative": null, "credit_code": null
            }
        ],
        "respondents": [
            {
                "name": "杭州江南示范建筑劳务有限公司", "gender": null, "birth_date": null,
                "address": "杭州市上城区望江东路332号", "id_number": null,
                "phone": "0571-8602****", "legal_representative": "周国栋", "credit_code": "91330102MA27Y5QX4K"
            }
        ],
        "org": {
            "name": "杭州市上城区小营街道人民调解委员会",
            "address": "杭州市上城区小营街道解放路100号",
            "phone": "0571-8706****"
        },
        "mediator": { "name": "李建国" },
        "query": {
            "url": "https://fq.shangcheng.example.gov.cn/q/2611-4831-0572-9",
            "second_factor": "申请人手机号码后四位"
        },
        "agreement": {
            "number": "上小调协字〔2025〕第0153号",
            "signed_on": "2025年3月20日",
            "terms": [
                "被申请人于2025年3月31日前一次性支付三名申请人劳动报酬合计人民币86,400.00元（其中王建军32,400.00元、李秀英26,000.00元、陈志强28,000.00元）；",
                "申请人收到上述款项后，不再就本纠纷向被申请人主张其他权利；",
                "本纠纷就此了结，各方不得再以同一事实和理由提出请求。"
            ],
            "performance": "被申请人于2025年3月31日前通过银行转账分别支付至三名申请人本人名下账户，款项到账即视为履行完毕；\
                            逾期未履行的，申请人可以申请人民法院强制执行已经司法确认的本协议。",
            "copies": "五"
        },
        "court": { "name": "杭州市上城区人民法院" },
        "application": { "date": "2025年3月25日" },
        "claims": [
            "判令被告支付原告劳动报酬合计人民币86,400.00元；",
            "判令被告以未付劳动报酬为基数，自2025年1月1日起按全国银行间同业拆借中心公布的一年期贷款市场报价利率支付逾期付款利息至实际付清之日止；",
            "本案诉讼费用由被告负担。"
        ],
        "evidence": [
            { "name": "劳务合同", "purpose": "证明原告与被告之间存在劳务关系及约定的报酬标准", "source": "原告提供", "pages": 3 },
            { "name": "考勤记录", "purpose": "证明原告2024年3月至12月的出勤天数", "source": "原告提供", "pages": 12 },
            { "name": "欠薪确认单", "purpose": "证明被告确认拖欠原告劳动报酬86,400.00元", "source": "被告出具", "pages": 1 },
            { "name": "调解笔录", "purpose": "证明双方经调解未能达成协议", "source": "小营街道人民调解委员会", "pages": 4 }
        ],
        "history": [
            { "date": "2025年3月5日", "handler": "杭州市上城区小营街道人民调解委员会", "event": "登记受理，赋解纷码2611-4831-0572-9" },
            { "date": "2025年3月12日", "handler": "杭州市上城区小营街道人民调解委员会", "event": "首次调解，上城区人民法院共享法庭法官在线指导" },
            { "date": "2025年3月28日", "handler": "杭州市上城区小营街道人民调解委员会", "event": "第二次调解，被申请人不同意付款期限，调解终结" }
        ],
        "mediation": {
            "result": "经两次调解，被告对欠薪数额无异议，但不同意付款期限，双方未能达成调解协议，调解组织依法终止调解并告知原告可以向人民法院起诉。"
        },
        "issued_on": "2025年3月5日"
    })
}
